#!/usr/bin/env bash
# digitpad-cli behaviour: exit codes and messages for bad arguments and
# missing or damaged files, then a short real run on MNIST (train, inspect,
# eval, predict on images made from MNIST test digits, --init, Ctrl-C).
#
#   bash tests/cli.sh <path-to-digitpad-cli> <build-dir>     (from the repo root)
#
# Needs MNIST in $DIGITPAD_DATA (default data/mnist), the pen digits in
# $DIGITPAD_PEN_DATA (default data/human-digits) and python3 (to write
# the test images); fails, does not skip, if either is missing.
set -u

CLI=${1:?usage: bash tests/cli.sh <path-to-digitpad-cli> <build-dir>}
DATA=${DIGITPAD_DATA:-data/mnist}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/dpcli-XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT

passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() {
    failed=$((failed + 1))
    echo "FAILED: $*" >&2
    sed 's/^/    stdout: /' "$TMP/out" | head -n 5 >&2
    sed 's/^/    stderr: /' "$TMP/err" | head -n 5 >&2
}

# run ARGS...: run the CLI, keep stdout/stderr in $TMP/out, $TMP/err and the status in $rc.
run() {
    "$CLI" "$@" >"$TMP/out" 2>"$TMP/err"
    rc=$?
}
# expect STATUS STREAM REGEX WHAT: after run, check the status and that STREAM (out/err) matches.
expect() {
    local want=$1 stream=$2 regex=$3 what=$4
    if [ "$rc" -ne "$want" ]; then
        fail "$what: exit status $rc, expected $want"
    elif [ -n "$regex" ] && ! grep -Eq -- "$regex" "$TMP/$stream"; then
        fail "$what: std$stream does not match /$regex/"
    else
        pass
    fi
}
# bad_arg WHAT REGEX ARGS...: a usage error: status 2, first stderr line matches, usage follows.
bad_arg() {
    local what=$1 regex=$2
    shift 2
    run "$@"
    if [ "$rc" -ne 2 ]; then
        fail "$what: exit status $rc, expected 2"
    elif ! head -n 1 "$TMP/err" | grep -Eq -- "$regex"; then
        fail "$what: first stderr line does not match /$regex/"
    elif ! grep -q '^usage: digitpad-cli' "$TMP/err"; then
        fail "$what: no usage on stderr"
    else
        pass
    fi
}

# --- program-level arguments -------------------------------------------------
run
expect 2 err 'usage: digitpad-cli' "no arguments"
run frobnicate
expect 2 err "unknown command 'frobnicate'" "unknown command"
run --help
expect 0 out 'usage: digitpad-cli' "--help"
for cmd in train eval predict inspect bench pen-render gate-train; do
    if grep -Eq "^  $cmd " "$TMP/out"; then pass; else fail "--help does not list '$cmd'"; fi
done
run -h
expect 0 out 'usage: digitpad-cli' "-h"
run --version
expect 0 out '^digitpad-cli [0-9]' "--version"
for cmd in train eval predict inspect bench pen-render gate-train; do
    run "$cmd" --help
    expect 0 out "^usage: digitpad-cli $cmd" "$cmd --help"
    run help "$cmd"
    expect 0 out "^usage: digitpad-cli $cmd" "help $cmd"
done

# --- bad arguments: status 2 with a message naming the option ------------------
M="$TMP/never.dpm"
bad_arg "--epochs abc" "--epochs: 'abc' is not an integer" train --epochs abc --out "$M"
bad_arg "--epochs 0" "--epochs: 0 is out of range" train --epochs 0 --out "$M"
bad_arg "--epochs 5x" "--epochs" train --epochs 5x --out "$M"
bad_arg "--epochs 99999999999999999999" "--epochs" train --epochs 99999999999999999999 --out "$M"
bad_arg "--lr -1" "--lr: -1 is out of range" train --lr -1 --out "$M"
bad_arg "--lr 0" "--lr" train --lr 0 --out "$M"
bad_arg "--lr nan" "--lr: 'nan' is not a number" train --lr nan --out "$M"
bad_arg "--lr=" "--lr" train --lr= --out "$M"
bad_arg "--batch 1.5" "--batch" train --batch 1.5 --out "$M"
bad_arg "--momentum 1" "--momentum" train --momentum 1 --out "$M"
bad_arg "--seed -1" "--seed" train --seed -1 --out "$M"
bad_arg "--threads 0" "--threads" train --threads 0 --out "$M"
bad_arg "--rotate 500" "--rotate" train --rotate 500 --out "$M"
bad_arg "--schedule" "--schedule: 'linear'" train --schedule linear --out "$M"
bad_arg "--augment" "--augment: 'lots'" train --augment lots --out "$M"
bad_arg "--lr-min > --lr" "--lr-min" train --lr 0.01 --lr-min 0.1 --out "$M"
bad_arg "unknown option" "unknown option '--epoch'" train --epoch 3 --out "$M"
bad_arg "missing value" "option --epochs needs a value" train --out "$M" --epochs
bad_arg "flag with value" "--quiet takes no value" train --quiet=1 --out "$M"
bad_arg "--extra-share without --extra" "--extra-share needs --extra" train --extra-share 0.2 --out "$M"
bad_arg "--extra-share 0.95" "--extra-share" train --extra "$TMP" --extra-share 0.95 --out "$M"
bad_arg "pen-render without --out" "missing --out" pen-render
bad_arg "gate-train without --out" "missing --out" gate-train
bad_arg "gate-train --nondigits 5" "--nondigits" gate-train --nondigits 5 --out "$M"
bad_arg "pen-render heights" "--min-height" pen-render --min-height 0.8 --max-height 0.6 --out "$TMP/p"
bad_arg "train without --out" "missing --out" train --epochs 1
bad_arg "train positional" "unexpected argument" train --out "$M" extra
bad_arg "eval without --model" "missing --model" eval
bad_arg "predict without image" "no IMAGE" predict --model "$M"
bad_arg "inspect without file" "missing FILE" inspect
bad_arg "inspect two files" "expected one FILE" inspect a b
if [ ! -e "$M" ]; then pass; else fail "a rejected train command wrote a model"; fi

# --- runtime errors: status 1, one clear line ------------------------------------
run train --data "$TMP/no-such-dir" --out "$TMP/m0.dpm"
expect 1 err '^digitpad-cli: .*get-mnist' "train with a missing data dir"
if [ "$(wc -l <"$TMP/err")" -eq 1 ]; then pass; else fail "missing data: not a single line"; fi
mkdir -p "$TMP/empty-data"
DIGITPAD_DATA="$TMP/empty-data" "$CLI" train --out "$TMP/m0.dpm" >"$TMP/out" 2>"$TMP/err"
rc=$?
expect 1 err 'get-mnist.*DIGITPAD_DATA' "train with an empty \$DIGITPAD_DATA dir"
run train --out "$TMP/no-such-dir/m.dpm"
expect 1 err "cannot write model: .*no-such-dir" "train into a missing directory"
run inspect "$TMP/missing.dpm"
expect 1 err '^digitpad-cli: cannot read model: .*missing.dpm' "inspect of a missing file"
printf 'not a model at all' >"$TMP/junk.dpm"
run inspect "$TMP/junk.dpm"
expect 1 err '^digitpad-cli: cannot read model' "inspect of a junk file"
run eval --model "$TMP/missing.dpm"
expect 1 err '^digitpad-cli: cannot load model' "eval of a missing model"
run predict --model "$TMP/junk.dpm" x.png
expect 1 err '^digitpad-cli: cannot load model' "predict with a junk model"

# --- real MNIST ---------------------------------------------------------------
if [ ! -e "$DATA/t10k-images-idx3-ubyte.gz" ] && [ ! -e "$DATA/t10k-images-idx3-ubyte" ]; then
    echo "FAILED: MNIST not found in '$DATA': run scripts/get-mnist or set DIGITPAD_DATA" >&2
    failed=$((failed + 1))
    echo "$passed passed, $failed failed"
    exit 1
fi
if ! command -v python3 >/dev/null; then
    echo "FAILED: python3 is needed to write the test images" >&2
    failed=$((failed + 1))
    echo "$passed passed, $failed failed"
    exit 1
fi

MODEL="$TMP/m.dpm"
run train --epochs 1 --seed 7 --out "$MODEL"
expect 0 out '^epoch 1/1  loss [0-9.]+  test [0-9.]+%  [0-9.]+ s$' "train --epochs 1"
if [ -s "$MODEL" ]; then pass; else fail "train wrote no model file"; fi
if ! grep -q $'\r' "$TMP/err"; then pass; else fail "progress redrawn with \\r although stderr is a file"; fi

run inspect "$MODEL"
expect 0 out '^checksum +ok' "inspect of the trained model"
for re in '^format +\.dpm version 2$' '^architecture +784-800-10 \(relu / softmax\)$' \
    '^parameters +636010$' '^epochs +1$' '^samples seen +60000$' '^seed +7$' \
    '^created +[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' \
    '^note +digitpad-cli train --epochs 1 --seed 7 --out ' '^test accuracy +[0-9.]+%$' \
    '^run +batch 64, lr 0.05 cosine \(min 0\), momentum 0.9, weight decay 0, 1 epoch, threads auto$' \
    '^augmentation +none$'; do
    if grep -Eq -- "$re" "$TMP/out"; then pass; else fail "inspect output lacks /$re/"; fi
done

run eval --model "$MODEL"
expect 0 out '^accuracy +[0-9.]+%' "eval"
acc=$(sed -nE 's/^accuracy +([0-9]+)\.[0-9]+%.*/\1/p' "$TMP/out")
if [ -n "$acc" ] && [ "$acc" -ge 90 ]; then pass; else fail "eval accuracy '$acc' below 90%"; fi
if [ "$(grep -cE '^ +[0-9] +[0-9]+ +[0-9]+ +[0-9.]+%$' "$TMP/out")" -eq 10 ]; then pass; else
    fail "eval: per-digit table does not have 10 rows"; fi
if [ "$(grep -cE '^ +[0-9]( +[0-9]+){10}$' "$TMP/out")" -eq 10 ]; then pass; else
    fail "eval: confusion matrix does not have 10 rows of 10"; fi
total=$(grep -E '^ +[0-9]( +[0-9]+){10}$' "$TMP/out" | awk '{for (i = 2; i <= NF; i++) s += $i} END {print s}')
if [ "$total" = 10000 ]; then pass; else fail "eval: confusion matrix sums to $total, not 10000"; fi
run eval --model "$MODEL" --data "$TMP/no-such-dir"
expect 1 err 'get-mnist' "eval with a missing data dir"

# A damaged copy: flip one byte in the middle of the parameters.
cp "$MODEL" "$TMP/bad.dpm"
python3 - "$TMP/bad.dpm" <<'PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
b[len(b) // 2] ^= 0x40
open(p, "wb").write(b)
PY
run inspect "$TMP/bad.dpm"
expect 1 err 'checksum' "inspect of a model with a flipped byte"
if grep -Eq '^checksum +BAD' "$TMP/out"; then pass; else fail "inspect does not show checksum BAD"; fi
run eval --model "$TMP/bad.dpm"
expect 1 err 'checksum' "eval of a model with a flipped byte"
head -c 1000 "$MODEL" >"$TMP/short.dpm"
run inspect "$TMP/short.dpm"
expect 1 err '^digitpad-cli: cannot read model' "inspect of a truncated model"

# Test images from MNIST test digits, made now (MNIST is never committed):
# digit-N.png is test image N as 28x28 white-on-black; big-ink.png is test
# image 2 scaled 3x, dark on light; blank.png has no ink.
python3 - "$DATA" "$TMP" >"$TMP/labels" <<'PY' || fail "could not write the test images"
import gzip, os, struct, sys, zlib
data, out = sys.argv[1], sys.argv[2]
def idx(name):
    for p in (os.path.join(data, name), os.path.join(data, name + ".gz")):
        if os.path.exists(p):
            raw = open(p, "rb").read()
            return gzip.decompress(raw) if p.endswith(".gz") else raw
    sys.exit("missing " + name)
images, labels = idx("t10k-images-idx3-ubyte"), idx("t10k-labels-idx1-ubyte")
def image(i):
    px = images[16 + 784 * i: 16 + 784 * (i + 1)]
    return [list(px[28 * r: 28 * r + 28]) for r in range(28)]
def png(path, rows):
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    h, w = len(rows), len(rows[0])
    raw = b"".join(b"\0" + bytes(r) for r in rows)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
for i in range(3):
    png(os.path.join(out, "digit-%d.png" % i), image(i))
    print("digit-%d.png %d" % (i, labels[8 + i]))
big = [[255 - v for v in row for _ in range(3)] for row in image(2) for _ in range(3)]
png(os.path.join(out, "big-ink.png"), big)
print("big-ink.png %d" % labels[10])
png(os.path.join(out, "blank.png"), [[0] * 28 for _ in range(28)])
PY
while read -r name label; do
    for mode in "" --raw; do
        run predict --model "$MODEL" $mode "$TMP/$name"
        expect 0 out "^$TMP/$name: $label  \(p=[01]\.[0-9]{3}\)  \[([01]\.[0-9]{3} ){9}[01]\.[0-9]{3}\]$" \
            "predict $mode $name (label $label)"
    done
done <"$TMP/labels"
run predict --model "$MODEL" "$TMP/blank.png"
expect 0 out "blank.png: no digit \(empty image\)" "predict on a blank image"
printf 'GIF89a garbage, not an image' >"$TMP/garbage.png"
run predict --model "$MODEL" "$TMP/garbage.png" "$TMP/digit-0.png"
expect 1 err "garbage.png" "predict on a garbage file"
if grep -q "digit-0.png: " "$TMP/out"; then pass; else fail "predict stopped at the bad image"; fi
run predict --model "$MODEL" "$TMP/no-such.png"
expect 1 err "no-such.png" "predict on a missing file"

# --init continues from a model and adds up the metadata.
run train --init "$MODEL" --epochs 1 --lr 0.01 --out "$TMP/m2.dpm" --quiet
expect 0 out '^epoch 1/1 ' "train --init"
run inspect "$TMP/m2.dpm"
expect 0 out '^epochs +2$' "inspect after --init: epochs add up"
if grep -Eq '^samples seen +120000$' "$TMP/out"; then pass; else fail "--init: samples seen do not add up"; fi

# Pen digits (docs/pen-digits.md): rendered into an IDX set, evaluated with
# eval --data, mixed into training with --extra.
run pen-render --holdout w03,w14 --copies 1 --out "$TMP/pen"
expect 0 out 'pen/t10k-\*-ubyte: 500 images \(held-out writers\)' "pen-render"
if grep -Eq 'pen/train-\*-ubyte: [0-9]{4} images' "$TMP/out"; then pass; else fail "pen-render: no train split"; fi
run pen-render --holdout w03,nobody --out "$TMP/pen2"
expect 1 err "'nobody' is not a writer" "pen-render with an unknown writer"
run pen-render --pen-data "$TMP/no-such-dir" --out "$TMP/pen2"
expect 1 err 'cannot read the pen digits' "pen-render without pen data"
run eval --model "$MODEL" --data "$TMP/pen"
expect 0 out '\(500 test images\)' "eval --data on the pen set"
run train --init "$MODEL" --epochs 1 --lr 0.01 --extra "$TMP/pen" --extra-share 0.25 --out "$TMP/m3.dpm" --quiet
expect 0 out '^extra set .*pen: [0-9]{4} images' "train --extra"
run train --epochs 1 --extra "$TMP/no-such-dir" --out "$TMP/m4.dpm" --quiet
expect 1 err 'cannot load the --extra set' "train --extra with a missing set"

# The not-a-digit gate, small and quick: trains, reports, saves a 784-H-2 net.
run gate-train --pen-idx "$TMP/pen" --nondigits 300 --hidden 8 --epochs 1 --out "$TMP/gate.dpm"
expect 0 out '^flagged as not a digit \(threshold [0-9.]+\): MNIST test [0-9.]+%, fresh non-digits [0-9.]+%$' "gate-train"
run inspect "$TMP/gate.dpm"
expect 0 out '^architecture +784-8-2 ' "inspect the gate"
run gate-train --pen-idx "$TMP/no-such-dir" --nondigits 300 --out "$TMP/gate2.dpm"
expect 1 err 'cannot load the --pen-idx set' "gate-train with a missing pen set"

# Ctrl-C: finish the slice, save, exit 130. Job control puts the background
# job in its own process group so it does not start with SIGINT ignored.
set -m
"$CLI" train --epochs 1000 --out "$TMP/int.dpm" >"$TMP/out" 2>"$TMP/err" &
pid=$!
set +m
for _ in $(seq 1 300); do
    grep -q '^training ' "$TMP/out" 2>/dev/null && break
    sleep 0.1
done
sleep 0.5
kill -INT "$pid"
wait "$pid"
rc=$?
# (which epoch depends on the machine's speed: an epoch takes under 0.5 s)
expect 130 err 'interrupted in epoch [0-9]+/1000 after [0-9]+ samples; saving to ' "train stopped by SIGINT"
run inspect "$TMP/int.dpm"
expect 0 out '^checksum +ok' "model saved after SIGINT"
if grep -Eq '^samples seen +[1-9]' "$TMP/out"; then pass; else fail "SIGINT model saw no samples"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
