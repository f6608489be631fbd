#!/usr/bin/env bash
# Your own digits in the real window under Xvfb (docs/personal.md):
#   bash tests/window_personal.sh <digitpad-cli> <build-dir>     (from the repo root)
# Starts `digitpad --verbose` with XDG_DATA_HOME in a fresh directory, draws
# 20 digits from the drawn-digit suite with the mouse (each digit twice),
# labels each with Enter and its digit key, checks the "label" lines and
# the IDX files of the personal set (16 training, 4 held out) and the
# recorded strokes (strokes.json), undoes and
# redoes the last label, presses F and waits for the fine-tune's "finetune
# heldout B A mnist B A" line (held-out and MNIST test accuracy before and
# after; needs MNIST: $DIGITPAD_DATA or data/mnist), takes a screenshot
# (<build-dir>/window_personal.png) and quits with Esc.
set -euo pipefail

cli=${1:?usage: window_personal.sh <digitpad-cli> <build-dir>}
build=${2:?usage: window_personal.sh <digitpad-cli> <build-dir>}
repo=$PWD
name=window_personal
work=$(mktemp -d)
. "$repo/tests/lib/xvfb.sh"
[ -d "$build" ] || fail "no build directory $build"
build=$(cd "$build" && pwd)
app="$build/src/app/digitpad"
for tool in Xvfb xdotool import python3; do
  command -v "$tool" >/dev/null ||
    fail "$tool is not installed (Debian: xvfb xdotool imagemagick python3; scripts/setup --test installs them)"
done
[ -x "$app" ] || fail "no window program at $app"
data=${DIGITPAD_DATA:-data/mnist}
case $data in /*) ;; *) data=$repo/$data ;; esac
[ -d "$data" ] || fail "MNIST not found in $data: run scripts/get-mnist or set DIGITPAD_DATA"

xvfb_start
mkdir -p "$work/xdg"
(cd "$work" && XDG_DATA_HOME="$work/xdg" \
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
  exec "$app" --verbose --data "$data" >"$work/out" 2>"$work/err") &
app_pid=$!


wait_for '^canvas [0-9]+ [0-9]+ [0-9]+ [0-9]+$' 30
wait_for "^personal $work/xdg/digitpad/personal count 0 heldout 0 " 10
read -r cx cy cw ch < <(grep '^canvas' "$work/out" | tail -1 | cut -d' ' -f2-)
wid=$(xdotool search --sync --name '^digitpad$' | head -1)
[ -n "$wid" ] || fail "no digitpad window"


# label DIGIT STROKE...: draw on a clear canvas, then Enter and the digit key.
n=0
label() {
  local digit=$1; shift
  local from; from=$(lines)
  mouse_draw 0.8 "$@"
  wait_for '^predict ' 10 "$from"
  xdotool key --window "$wid" Return
  sleep 0.1
  xdotool key --window "$wid" "$digit"
  n=$((n + 1))
  wait_for "^label $digit count $n heldout $((n / 5)) " 10 "$from"
}

label 0 zero_oval_0;     label 1 one_stroke_0;    label 2 two_plain_0
label 3 three_round_0;   label 4 four_open_0 four_open_1
label 5 five_one_0;      label 6 six_curved_0;    label 7 seven_plain_0
label 8 eight_one_0;     label 9 nine_straight_0
label 0 zero_round_0;    label 1 one_flag_0;      label 2 two_angular_0
label 3 three_flat_0;    label 4 four_closed_0 four_closed_1
label 5 five_two_0 five_two_1; label 6 six_straight_0; label 7 seven_hook_0
label 8 eight_open_0;    label 9 nine_curved_0
echo "window_personal: labelled $n drawings: $(grep '^label ' "$work/out" | tail -1)"
grep -Eq '^label 9 count 20 heldout 4 counts 0:2 1:2 2:2 3:2 4:2 5:2 6:2 7:2 8:2 9:2$' "$work/out" ||
  fail "per-digit counts after 20 labels: $(grep '^label ' "$work/out" | tail -1)"

# The set on disk: IDX files of 16 training and 4 held-out drawings.
set_dir=$work/xdg/digitpad/personal
python3 - "$set_dir" <<'PY' || fail "personal set files are wrong"
import struct, sys
d = sys.argv[1]
for prefix, n in (("train", 16), ("t10k", 4), ("canvas", 20)):
    im = open("%s/%s-images-idx3-ubyte" % (d, prefix), "rb").read()
    lb = open("%s/%s-labels-idx1-ubyte" % (d, prefix), "rb").read()
    assert struct.unpack(">IIII", im[:16]) == (0x803, n, 28, 28), prefix
    assert len(im) == 16 + 784 * n and struct.unpack(">II", lb[:8]) == (0x801, n), prefix
    assert max(im[16:]) > 200, prefix + ": no ink"
import json
st = json.load(open("%s/strokes.json" % d))["drawings"]
assert [x["label"] for x in st] == [str(i % 10) for i in range(20)], "stroke labels"
assert all(x["strokes"] and len(x["strokes"][0]) > 2 for x in st), "strokes missing"
assert [len(x["strokes"]) for x in st][4] == 2, "the open 4 has two strokes"
print("window_personal: on disk: 16 training, 4 held-out, 20 canvases, 20 stroke lists")
PY

# U undoes the last label; labelling it again restores the set.
from=$(lines)
xdotool key --window "$wid" u
wait_for '^unlabel 9 count 19 heldout 3 ' 10 "$from"
n=19
label 9 nine_curved_0

# F: fine-tune, then the before/after figures.
from=$(lines)
xdotool key --window "$wid" f
wait_for '^finetune start train 16 heldout 4$' 10 "$from"
wait_for '^finetune heldout [0-9.]+ [0-9.]+ mnist [0-9.]+ [0-9.]+ count 4$' 600 "$from"
line=$(grep '^finetune heldout' "$work/out" | tail -1)
echo "window_personal: $line"
read -r _ _ hb ha _ mb ma _ _ <<<"$line"
python3 -c "import sys; hb, ha, mb, ma = map(float, sys.argv[1:]); sys.exit(0 if ha >= 0.75 and ma >= 0.98 and mb >= 0.99 else 1)" \
  "$hb" "$ha" "$mb" "$ma" || fail "after fine-tuning: held-out $ha, MNIST test $mb -> $ma"
sleep 0.5
import -window root "$build/window_personal.png" || fail "screenshot failed"
echo "window_personal: screenshot $build/window_personal.png"

xdotool key --window "$wid" Escape
for _ in $(seq 300); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$app_pid" 2>/dev/null && fail "digitpad did not exit after Esc"
rc=0
wait "$app_pid" || rc=$?
app_pid=""
[ "$rc" = 0 ] || fail "digitpad exited with $rc: $(cat "$work/err")"
echo "window_personal: OK"
