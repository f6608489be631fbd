#!/usr/bin/env bash
# `cmake --install` into a DESTDIR under an unusual prefix, then use what was
# installed without the source or build tree:
#   - every file a user and a developer expect is there: both programs,
#     libdigitpad.so with its SONAME and libdigitpad.a, the headers,
#     digitpad.pc, the CMake package, the model, the desktop entry (passes
#     desktop-file-validate), the icons (PNG sizes right) and the man pages;
#   - the installed digitpad-cli classifies a test image with the installed
#     model, and the installed window (SDL dummy video driver) starts with
#     the installed model, found next to its executable;
#   - examples/classify, copied outside the tree, builds against the install
#     with pkg-config (Makefile) and with find_package (CMake; shared and
#     static library) and classifies the same image the same way.
#
#   bash tests/install.sh <path-to-digitpad-cli> <build-dir>   (from the repo root)
#
# Needs MNIST in $DIGITPAD_DATA (for the test image), python3, pkg-config,
# make, cmake and desktop-file-validate.
set -u

BUILD=${2:?usage: bash tests/install.sh <path-to-digitpad-cli> <build-dir>}
DATA=${DIGITPAD_DATA:-data/mnist}
repo=$PWD
TMP=$(mktemp -d "${TMPDIR:-/tmp}/dpinstall-XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
ROOT=$TMP/root
PREFIX=/opt/digitpad-test
P=$ROOT$PREFIX

passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() {
    failed=$((failed + 1))
    echo "FAILED: $*" >&2
    [ -f "$TMP/out" ] && sed 's/^/    stdout: /' "$TMP/out" | tail -n 5 >&2
    [ -f "$TMP/err" ] && sed 's/^/    stderr: /' "$TMP/err" | tail -n 5 >&2
}
check() {
    local what=$1
    shift
    if "$@" >"$TMP/out" 2>"$TMP/err"; then pass; else fail "$what"; fi
}
exists() { [ -e "$P/$1" ] && pass || fail "not installed: $PREFIX/$1"; }

if ! DESTDIR=$ROOT cmake --install "$BUILD" --prefix "$PREFIX" >"$TMP/out" 2>"$TMP/err"; then
    fail "cmake --install"
    exit 1
fi
# Nothing outside DESTDIR/PREFIX.
[ -z "$(find "$ROOT" -mindepth 1 -maxdepth 1 ! -name opt)" ] &&
    [ -z "$(find "$ROOT/opt" -mindepth 1 -maxdepth 1 ! -name digitpad-test)" ] && pass ||
    fail "files installed outside DESTDIR$PREFIX: $(find "$ROOT" -maxdepth 2)"

libdir=$(cd "$P" && dirname "$(find . -name libdigitpad.so -print -quit)")
libdir=${libdir#./}
for f in bin/digitpad bin/digitpad-cli "$libdir/libdigitpad.a" "$libdir/libdigitpad.so" \
    "$libdir/libdigitpad.so.0" include/digitpad/digitpad.h include/digitpad/npz.h \
    include/digitpad/onnx.h "$libdir/pkgconfig/digitpad.pc" \
    "$libdir/cmake/digitpad/digitpadConfig.cmake" \
    "$libdir/cmake/digitpad/digitpadConfigVersion.cmake" \
    share/digitpad/models/mnist-800.dpm share/applications/digitpad.desktop \
    share/icons/hicolor/scalable/apps/digitpad.svg share/man/man1/digitpad.1.gz \
    share/man/man1/digitpad-cli.1.gz; do
    exists "$f"
done
readelf -d "$P/$libdir/libdigitpad.so" | grep -q 'SONAME.*\[libdigitpad\.so\.0\]' && pass ||
    fail "libdigitpad.so has no SONAME libdigitpad.so.0"
# The shared library exports the public API, not the internals.
nm -D --defined-only "$P/$libdir/libdigitpad.so" >"$TMP/syms"
grep -q ' dp_npz_load@' "$TMP/syms" && grep -q ' dp_mlp_forward@' "$TMP/syms" && pass ||
    fail "libdigitpad.so lacks public functions"
grep -Eq ' (dp__|dp_io_|dp_team_)' "$TMP/syms" && fail "libdigitpad.so exports internals" || pass
# Every public header compiles on its own.
for h in "$P"/include/digitpad/*.h; do
    echo "#include <digitpad/$(basename "$h")>" |
        cc -std=c11 -Wall -Wextra -Werror -fsyntax-only -I"$P/include" -x c - 2>"$TMP/err" &&
        pass || fail "installed header $(basename "$h") does not compile alone"
done

check "desktop-file-validate" desktop-file-validate "$P/share/applications/digitpad.desktop"
grep -q '^Exec=digitpad' "$P/share/applications/digitpad.desktop" &&
    grep -q '^Icon=digitpad$' "$P/share/applications/digitpad.desktop" && pass ||
    fail "desktop entry does not start digitpad with its icon"
n_png=0
for png in "$P"/share/icons/hicolor/*x*/apps/digitpad.png; do
    size=$(basename "$(dirname "$(dirname "$png")")")
    python3 - "$png" "${size%x*}" <<'PY' && pass || fail "$png is not a ${size} PNG"
import struct, sys
b = open(sys.argv[1], "rb").read(32)
w, h = struct.unpack(">II", b[16:24])
sys.exit(0 if b[:8] == b"\x89PNG\r\n\x1a\n" and w == h == int(sys.argv[2]) else 1)
PY
    n_png=$((n_png + 1))
done
[ "$n_png" -ge 6 ] && pass || fail "only $n_png icon sizes installed"
for page in digitpad digitpad-cli; do
    MANWIDTH=80 man -l "$P/share/man/man1/$page.1.gz" >"$TMP/out" 2>"$TMP/err" &&
        grep -q "^NAME" "$TMP/out" && grep -q "$page -" "$TMP/out" && pass ||
        fail "man page $page(1) does not render"
done
grep -q 'export MODEL --format onnx|npz OUT' <(MANWIDTH=200 man -l "$P/share/man/man1/digitpad-cli.1.gz" 2>/dev/null) &&
    pass || fail "digitpad-cli(1) does not document export"

# --- the installed programs ------------------------------------------------------
# A test image: the first MNIST test digit (a 7) as a PGM.
python3 - "$DATA" "$TMP/seven.pgm" <<'PY' || { fail "cannot make the test image from $DATA"; exit 1; }
import gzip, os, sys
d = sys.argv[1]
p = os.path.join(d, "t10k-images-idx3-ubyte")
raw = gzip.open(p + ".gz").read() if os.path.exists(p + ".gz") else open(p, "rb").read()
open(sys.argv[2], "wb").write(b"P5 28 28 255\n" + raw[16:16 + 784])
PY
model=$P/share/digitpad/models/mnist-800.dpm
check "installed digitpad-cli predict" env LD_LIBRARY_PATH="$P/$libdir" "$P/bin/digitpad-cli" \
    predict --model "$model" "$TMP/seven.pgm"
grep -q 'seven.pgm: 7  (p=' "$TMP/out" && pass || fail "installed digitpad-cli does not read a 7"
cli_p=$(sed -n 's/.*seven.pgm: 7  (p=\([0-9.]*\)).*/\1/p' "$TMP/out")

# The window, from its install and another working directory, finds the
# installed model (bin/../share/digitpad/models), not the source tree's.
(cd "$TMP" && SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy exec "$P/bin/digitpad" --verbose \
    >"$TMP/app.out" 2>"$TMP/app.err") &
app_pid=$!
for _ in $(seq 300); do
    grep -q '^load ' "$TMP/app.out" && break
    kill -0 $app_pid 2>/dev/null || break
    sleep 0.1
done
kill -TERM $app_pid 2>/dev/null
wait $app_pid
app_rc=$?
want="load $(cd "$P/share/digitpad/models" && pwd -P)/mnist-800.dpm"
if grep -qx "$want" "$TMP/app.out"; then
    pass
else
    fail "installed window did not load the installed model (want '$want'): $(head -c 600 "$TMP/app.out") $(head -c 300 "$TMP/app.err")"
fi
[ $app_rc -eq 0 ] && pass || fail "installed window exited with $app_rc on SIGTERM"

# --- the example, outside the tree ---------------------------------------------
pc="pkg-config --define-variable=prefix=$P"
export PKG_CONFIG_PATH=$P/$libdir/pkgconfig
[ "$($pc --modversion digitpad)" = "$(sed -n 's/^project(digitpad VERSION \([0-9.]*\).*/\1/p' "$repo/CMakeLists.txt")" ] &&
    pass || fail "pkg-config --modversion digitpad"
[ "$($pc --variable=modeldir digitpad)" = "$P/share/digitpad/models" ] && pass ||
    fail "pkg-config modeldir is $($pc --variable=modeldir digitpad)"

# Building against the shared library needs no other package's .pc file.
PKG_CONFIG_LIBDIR=$P/$libdir/pkgconfig $pc --cflags --libs digitpad >"$TMP/out" 2>"$TMP/err" &&
    grep -q -- "-ldigitpad" "$TMP/out" && pass ||
    fail "pkg-config digitpad needs other packages' .pc files"
$pc --static --libs digitpad | grep -q -- '-lopenblas' && pass ||
    fail "pkg-config --static --libs digitpad lacks OpenBLAS"

cp -r "$repo/examples/classify" "$TMP/ex-make"
check "example: make with pkg-config" make -C "$TMP/ex-make" PKG_CONFIG="$pc" CFLAGS="-O2 -Wall -Wextra -Werror"
check "example (pkg-config) classifies" env LD_LIBRARY_PATH="$P/$libdir" "$TMP/ex-make/classify" \
    "$($pc --variable=modeldir digitpad)/mnist-800.dpm" "$TMP/seven.pgm"
grep -qx ".*seven.pgm: 7 (p=$cli_p)" "$TMP/out" && pass ||
    fail "example (pkg-config) does not read the 7 as digitpad-cli does (p=$cli_p)"
readelf -d "$TMP/ex-make/classify" | grep -q 'NEEDED.*libdigitpad\.so\.0' && pass ||
    fail "example (pkg-config) is not linked to libdigitpad.so.0"

for kind in shared static; do
    cp -r "$repo/examples/classify" "$TMP/ex-cmake-$kind"
    static=OFF
    [ $kind = static ] && static=ON
    check "example: cmake find_package ($kind)" cmake -S "$TMP/ex-cmake-$kind" \
        -B "$TMP/ex-cmake-$kind/build" -DCMAKE_PREFIX_PATH="$P" -DCLASSIFY_STATIC=$static \
        -DCMAKE_C_FLAGS="-Wall -Wextra -Werror"
    grep -q "classify: the shipped model is $P/share/digitpad/models/mnist-800.dpm" "$TMP/out" &&
        pass || fail "find_package(digitpad): digitpad_MODEL_DIR is wrong"
    check "example: cmake --build ($kind)" cmake --build "$TMP/ex-cmake-$kind/build"
    exe=$TMP/ex-cmake-$kind/build/classify
    check "example (find_package, $kind) classifies" "$exe" "$model" "$TMP/seven.pgm"
    grep -qx ".*seven.pgm: 7 (p=$cli_p)" "$TMP/out" && pass ||
        fail "example (find_package, $kind) does not read the 7 as digitpad-cli does"
    if readelf -d "$exe" | grep -q 'NEEDED.*libdigitpad'; then linked=shared; else linked=static; fi
    [ $linked = $kind ] && pass || fail "example built for the $kind library links it $linked"
done

echo "install: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
