#!/usr/bin/env bash
# The training lab in the real window under Xvfb, driven with xdotool:
#   bash tests/lab_xvfb.sh <digitpad-cli> <build-dir>     (from the repo root)
# Needs MNIST ($DIGITPAD_DATA or data/mnist). It
# - sets batch 16 and learning rate 0.05 with the keyboard, presses R and T
#   and waits for the one-epoch run, saves with Ctrl+S, and checks that
#   `digitpad-cli eval` on the saved model gives the window's accuracy and
#   the same confusion counts;
# - opens the confusion matrix (M), clicks its largest off-diagonal cell and
#   the first thumbnail, expects "load test INDEX label L", exports with S
#   and checks the canvas PNG is exactly that MNIST test image;
# - presses R and T again with the same seed: the same "epoch 1 test" line;
# - R and Space twice: "train step pos 16", then "train step pos 32";
# - quits with Esc (exit 0). Screenshot: <build-dir>/lab_xvfb.png.
set -euo pipefail

cli=${1:?usage: lab_xvfb.sh <digitpad-cli> <build-dir>}
build=${2:?usage: lab_xvfb.sh <digitpad-cli> <build-dir>}
repo=$PWD
name=lab_xvfb work=$(mktemp -d)
# fail, xvfb_start, wait_for, lines; cleanup on exit
source "$repo/tests/lib/xvfb.sh"
[ -d "$build" ] || fail "no build directory $build"
build=$(cd "$build" && pwd)
app="$build/src/app/digitpad"
case $cli in /*) ;; *) cli=$repo/$cli ;; esac
for tool in Xvfb xdotool import python3; do
  command -v "$tool" >/dev/null ||
    fail "$tool is not installed (Debian: xvfb xdotool imagemagick python3; scripts/setup --test installs them)"
done
[ -x "$app" ] || fail "no window program at $app"
[ -x "$cli" ] || fail "no CLI at $cli"
data=${DIGITPAD_DATA:-data/mnist}
case $data in /*) ;; *) data=$repo/$data ;; esac
[ -d "$data" ] || fail "MNIST not found in $data: run scripts/get-mnist or set DIGITPAD_DATA"

xvfb_start

model=$work/lab.dpm
(cd "$work" && ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
  exec "$app" --verbose --fresh --data "$data" --epochs 1 --seed 3 --save-to "$model" \
  --size 1280x720 >"$work/out" 2>"$work/err") &
app_pid=$!

last() { tail -n +"$(($2 + 1))" "$work/out" | grep -E "$1" | tail -1; }
key() { xdotool key --window "$wid" "$@"; }
click() { xdotool mousemove --window "$wid" "$1" "$2" click 1; }

wait_for '^canvas ' 30
wid=$(xdotool search --sync --name '^digitpad$' | head -1)
[ -n "$wid" ] || fail "no digitpad window"

# lr is the first field: 0.02 -> 0.05; batch: 64 -> 32 -> 16.
from=$(lines)
key plus Tab minus minus
wait_for '^set batch 16$' 10 "$from"
grep -q '^set lr 0.05$' "$work/out" || fail "lr not set to 0.05: $(grep '^set' "$work/out")"

# run ONE: R, T, wait for the evaluation after the epoch.
run_epoch() {
  local from; from=$(lines)
  key r
  wait_for '^reset seed 3 hidden 800$' 10 "$from"
  key t
  wait_for '^train done$' 600 "$from"
  wait_for '^confusion( [0-9]+){100}$' 10 "$from"
  last '^epoch 1 test ' "$from"
}
first=$(run_epoch)
echo "lab_xvfb: run 1: $first"
confusion=$(grep -E '^confusion ' "$work/out" | tail -1)

from=$(lines)
key ctrl+s
wait_for '^save ' 10 "$from"
"$cli" eval --model "$model" --data "$data" >"$work/eval" 2>&1 || fail "eval failed: $(cat "$work/eval")"
python3 - "$first" "$confusion" "$work/eval" <<'PY' || fail "eval disagrees with the window"
import re, sys
acc = float(sys.argv[1].split()[3])
win = [int(x) for x in sys.argv[2].split()[1:]]
text = open(sys.argv[3]).read()
m = re.search(r"\((\d+)/(\d+) correct\)", text)
correct, count = int(m.group(1)), int(m.group(2))
rows = re.findall(r"^\s+\d\s+((?:\s+\d+){10})\s*$", text.split("confusion matrix")[1], re.M)
cli = [int(x) for r in rows for x in r.split()]
print("lab_xvfb: window %.4f, eval %d/%d" % (acc, correct, count))
ok = round(acc * count) == correct and "%.4f" % acc == "%.4f" % (correct / count) and cli == win
sys.exit(0 if ok else 1)
PY
echo "lab_xvfb: digitpad-cli eval on the saved model: same accuracy and confusion counts"

# M, the largest off-diagonal cell, its first thumbnail.
from=$(lines)
key m
wait_for '^matrix [0-9]+ [0-9]+ [0-9]+ [0-9]+$' 10 "$from"
read -r mx my mw mh < <(last '^matrix ' "$from" | cut -d' ' -f2-)
read -r t p < <(python3 -c '
import sys
c = [int(x) for x in sys.argv[1].split()[1:]]
best = max(((c[t * 10 + p], t, p) for t in range(10) for p in range(10) if t != p))
print(best[1], best[2])' "$confusion")
click $((mx + p * mw / 10 + mw / 20)) $((my + t * mh / 10 + mh / 20))
wait_for '^thumbs [0-9]+ [0-9]+ [0-9]+ [0-9]+ [0-9]+ [0-9]+ [0-9]+$' 10 "$from"
read -r tx ty tw th tc tr tn < <(last '^thumbs ' "$from" | cut -d' ' -f2-)
[ "$tc" -gt 0 ] && [ "$tr" -gt 0 ] || fail "no room for thumbnails: $(last '^thumbs ' "$from")"
click $((tx + tw / tc / 2)) $((ty + th / tr / 2))
wait_for '^load test [0-9]+ label [0-9]$' 10 "$from"
read -r index label < <(last '^load test ' "$from" | awk '{print $3, $5}')
[ "$label" = "$t" ] || fail "loaded test image $index with label $label from row $t"
echo "lab_xvfb: cell true $t read as $p, thumbnail -> test image $index (label $label)"
sleep 0.5
import -window root "$build/lab_xvfb.png" || fail "screenshot failed"
key s
wait_for '^export ' 10 "$from"
canvas_png=$(last '^export ' "$from" | cut -d' ' -f2)
case $canvas_png in /*) ;; *) canvas_png=$work/$canvas_png ;; esac
python3 - "$canvas_png" "$data" "$index" <<'PY' || fail "the canvas is not test image $index"
import gzip, os, struct, sys, zlib
def png_gray(path):
    b = open(path, "rb").read()
    assert b[:8] == b"\x89PNG\r\n\x1a\n"
    i, idat, w = 8, b"", 0
    while i < len(b):
        n, kind = struct.unpack(">I4s", b[i:i + 8])
        body = b[i + 8:i + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype == 0, (depth, ctype)
        elif kind == b"IDAT":
            idat += body
        i += 12 + n
    def paeth(a, b, c):
        p = a + b - c
        pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
        return a if pa <= pb and pa <= pc else b if pb <= pc else c
    raw, out, prev = zlib.decompress(idat), [], [0] * w
    for y in range(h):
        f, row = raw[y * (w + 1)], list(raw[y * (w + 1) + 1:(y + 1) * (w + 1)])
        for x in range(w):
            a = row[x - 1] if x else 0
            c = prev[x - 1] if x else 0
            pr = [0, a, prev[x], (a + prev[x]) // 2, paeth(a, prev[x], c)][f]
            row[x] = (row[x] + pr) & 255
        out += row
        prev = row
    return w, h, bytes(out)
w, h, pix = png_gray(sys.argv[1])
name = os.path.join(sys.argv[2], "t10k-images-idx3-ubyte")
data = open(name, "rb").read() if os.path.exists(name) else gzip.open(name + ".gz").read()
k = int(sys.argv[3])
img = data[16 + k * 784:16 + (k + 1) * 784]
print("lab_xvfb: canvas PNG %dx%d, %d of 784 pixels equal to test image %d" %
      (w, h, sum(a == b for a, b in zip(pix, img)), k))
sys.exit(0 if (w, h) == (28, 28) and pix == img else 1)
PY

# run TWO with the same seed: the same test accuracy line.
key m
second=$(run_epoch)
echo "lab_xvfb: run 2: $second"
[ "$first" = "$second" ] || fail "same seed, different runs: '$first' vs '$second'"

# R, then Space twice: one batch each.
from=$(lines)
key r
wait_for '^reset ' 10 "$from"
key space
wait_for '^train step pos 16$' 60 "$from"
key space
wait_for '^train step pos 32$' 60 "$from"
echo "lab_xvfb: Space trained one batch at a time (pos 16, 32)"

key Escape
rc=0
for _ in $(seq 300); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$app_pid" 2>/dev/null && fail "digitpad did not exit after Esc"
wait "$app_pid" || rc=$?
app_pid=""
[ "$rc" = 0 ] || fail "digitpad exited with $rc: $(cat "$work/err")"
grep -E '^(frames|drawn|intervals) training' "$work/out"
grep -E '^train epoch 1 pos' "$work/out" | tail -1
echo "lab_xvfb: OK"
