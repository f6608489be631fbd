#!/usr/bin/env bash
# The portable build on CPUs this machine is not (qemu-user emulates them):
#   - Nehalem (no AVX): the kernel test chooses and passes the plain C set;
#     digitpad-cli predicts (inference, preprocessing, image decoding)
#     without an illegal instruction, printing what it prints natively with
#     DIGITPAD_KERNELS=plain; asked for the AVX2 set there, it says it runs
#     plain;
#   - Haswell (AVX2 and FMA, no AVX-512): the kernel test chooses the AVX2
#     set. It tests only the plain set's kernels there: QEMU 7.2 (Debian
#     bookworm) emulates some AVX2 gathers wrongly (vgatherdps with its index
#     in ymm4 and mask in ymm7 returns zeros), so the AVX2 set's results are
#     tested on real CPUs only (test_sparse_kernels runs every set the CPU
#     has).
# Registered for portable x86-64 builds without sanitizers (a -march=native
# binary would stop at its first instruction Nehalem lacks).
#   bash tests/kernels_emulated.sh <digitpad-cli> <build-dir>   (from the repo root)
set -u
cli=${1:?usage: kernels_emulated.sh <digitpad-cli> <build-dir>}
build=${2:?usage: kernels_emulated.sh <digitpad-cli> <build-dir>}
qemu=$(command -v qemu-x86_64) || {
    echo "FAILED: qemu-x86_64 is missing (Debian package qemu-user; scripts/setup --test installs it)" >&2
    exit 1
}
out=$(mktemp) ref=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$ref" "$err"' EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() {
    echo "FAILED: $1" >&2
    sed 's/^/    /' "$err" | tail -n 8 >&2
    failed=$((failed + 1))
}
emu() { # emu CPU PROGRAM ARGS...: on the emulated CPU (with the caller's environment),
    # stdout to $out, stderr to $err
    local cpu=$1
    shift
    timeout 300 "$qemu" -cpu "$cpu" "$@" >"$out" 2>"$err"
    local rc=$?
    sed -i "/TCG doesn't support requested feature/d" "$err"
    return $rc
}

DPT_EXPECT_KERNELS=plain emu Nehalem "$build/tests/test_sparse_kernels"
rc=$?
[ $rc -eq 0 ] && grep -qx "kernels plain: pass" "$out" && ok ||
    bad "test_sparse_kernels on Nehalem (no AVX): exit $rc, expected the plain set and a pass"

DPT_EXPECT_KERNELS="avx2 plain" DPT_RUN_KERNELS=plain emu Haswell "$build/tests/test_sparse_kernels"
rc=$?
[ $rc -eq 0 ] && grep -qx "kernel sets this CPU runs: avx2 plain" "$out" && ok ||
    bad "test_sparse_kernels on Haswell (AVX2, no AVX-512): exit $rc, expected the sets avx2 plain"

images=(tests/fuzz/corpus/fuzz_image/gray1.png tests/fuzz/corpus/fuzz_image/baseline.jpg
        tests/fuzz/corpus/fuzz_image/bmp24.bmp tests/fuzz/corpus/fuzz_image/rgba8.png)
DIGITPAD_KERNELS=plain "$cli" predict --model models/mnist-800.dpm "${images[@]}" >"$ref" 2>"$err" ||
    bad "predict natively with DIGITPAD_KERNELS=plain"
emu Nehalem "$cli" predict --model models/mnist-800.dpm "${images[@]}"
rc=$?
if [ $rc -ne 0 ]; then
    bad "predict on Nehalem: exit $rc"
elif [ "$(wc -l <"$out")" -ne ${#images[@]} ] || ! cmp -s "$out" "$ref"; then
    diff "$ref" "$out" >"$err"
    bad "predict on Nehalem prints other probabilities than the plain set natively"
else
    ok
fi

DIGITPAD_KERNELS=avx2 emu Nehalem "$cli" predict --model models/mnist-800.dpm "${images[0]}"
rc=$?
[ $rc -eq 0 ] && grep -q "DIGITPAD_KERNELS=avx2: .*; running plain$" "$err" && cmp -s <(head -n 1 "$ref") "$out" && ok ||
    bad "predict on Nehalem with DIGITPAD_KERNELS=avx2: exit $rc, expected a line saying it runs plain"

echo "kernels_emulated: $passed passed, $failed failed"
[ $failed -eq 0 ]
