#!/usr/bin/env bash
# The real window under Xvfb, driven like a person with xdotool:
#   bash tests/window_xvfb.sh <digitpad-cli> <build-dir>     (from the repo root)
# Starts `digitpad --verbose` on a free Xvfb display, reads the canvas
# rectangle from stdout, draws digits from the drawn-digit suite
# (tests/drawn_digits.h) with the mouse, checks the "predict" lines (the
# digits themselves, read by the shipped models/mnist-800.dpm), clears, presses S
# and checks both PNGs are 28x28, presses T and waits for training progress
# (needs MNIST: $DIGITPAD_DATA or data/mnist), takes a screenshot while
# training (<build-dir>/window_xvfb.png), quits with Esc and expects exit 0.
set -euo pipefail

cli=${1:?usage: window_xvfb.sh <digitpad-cli> <build-dir>}
build=${2:?usage: window_xvfb.sh <digitpad-cli> <build-dir>}
repo=$PWD
name=window_xvfb
work=$(mktemp -d)
. "$repo/tests/lib/xvfb.sh"
[ -d "$build" ] || fail "no build directory $build"
build=$(cd "$build" && pwd)
app="$build/src/app/digitpad"
case $cli in /*) ;; *) cli=$repo/$cli ;; esac

for tool in Xvfb xdotool identify import python3; do
  command -v "$tool" >/dev/null ||
    fail "$tool is not installed (Debian: xvfb xdotool imagemagick python3; scripts/setup --test installs them)"
done
[ -x "$app" ] || fail "no window program at $app"
[ -x "$cli" ] || fail "no CLI at $cli"
data=${DIGITPAD_DATA:-data/mnist}
case $data in /*) ;; *) data=$repo/$data ;; esac
[ -d "$data" ] || fail "MNIST not found in $data: run scripts/get-mnist or set DIGITPAD_DATA"
shipped=$repo/models/mnist-800.dpm
[ -f "$shipped" ] || fail "no shipped model at $shipped (the window loads it at start)"

xvfb_start

# Leak checking is off for this process only: X11/D-Bus libraries that SDL
# loads at run time keep allocations LSan reports against unloaded modules.
# The app's own code is leak-checked by the headless app tests.
(cd "$work" && ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
  exec "$app" --verbose --data "$data" >"$work/out" 2>"$work/err") &
app_pid=$!


wait_for '^canvas [0-9]+ [0-9]+ [0-9]+ [0-9]+$' 30
read -r cx cy cw ch < <(grep '^canvas' "$work/out" | tail -1 | cut -d' ' -f2-)
wid=$(xdotool search --sync --name '^digitpad$' | head -1)
[ -n "$wid" ] || fail "no digitpad window"
echo "window_xvfb: window $wid, canvas at $cx,$cy size ${cw}x$ch"


# draw LABEL STROKE_NAME...: clear, draw each stroke with the left button,
# and check the prediction that follows.
draw() {
  local label=$1; shift
  xdotool key --window "$wid" c
  sleep 0.3
  local from; from=$(lines)
  mouse_draw 0.85 "$@"  # the suite's design shapes at 85% size around the canvas centre
  sleep 0.5
  wait_for '^predict ([0-9]|notdigit)( [0-9.]+){10}( unsure)?$' 10 "$from"
  local got
  got=$(tail -n +"$((from + 1))" "$work/out" | grep -E '^predict ([0-9]|notdigit)' | tail -1 |
    cut -d' ' -f2)
  echo "window_xvfb: drew a $label ($*), window reads $got"
  last_read=$got
  [ "$got" = "$label" ] || fail "drew a $label, the shipped model read $got"
}

draw 1 one_stroke_0
draw 7 seven_plain_0
draw 4 four_open_0 four_open_1
draw 0 zero_oval_0
# Not digits (the gate, docs/not-a-digit.md): a hash sign and a star.
draw notdigit xy:12,4,10,24 xy:19,4,17,24 xy:5,10,24,10 xy:4,18,23,18
import -window root "$build/window_xvfb_notdigit.png" || fail "screenshot failed"
draw notdigit xy:14,4,20,23,5,11,23,11,8,23,14,4
draw 0 zero_oval_0

# S: both PNGs, 28x28, in the current directory.
from=$(lines)
xdotool key --window "$wid" s
wait_for '^export ' 10 "$from"
read -r canvas_png input_png < <(tail -n +"$((from + 1))" "$work/out" | grep '^export ' | tail -1 | cut -d' ' -f2-)
for f in "$canvas_png" "$input_png"; do
  case $f in /*) ;; *) f=$work/$f ;; esac
  [ -f "$f" ] || fail "export did not write $f"
  size=$(identify -format '%w %h' "$f")
  [ "$size" = "28 28" ] || fail "$f is $size, not 28x28"
done
echo "window_xvfb: exported $canvas_png and $input_png, both 28x28"
# The CLI reads the exported network input ("PATH: DIGIT  (p=...)") as the window did.
f=$input_png; case $f in /*) ;; *) f=$work/$f ;; esac
"$cli" predict --model "$shipped" --raw "$f" >"$work/cli.out" 2>&1 ||
  fail "digitpad-cli predict failed: $(cat "$work/cli.out")"
cli_read=$(sed -nE 's/^.*: ([0-9])  \(p=.*$/\1/p' "$work/cli.out")
[ "$cli_read" = "$last_read" ] ||
  fail "window read $last_read, CLI on the exported input: $(cat "$work/cli.out")"
echo "window_xvfb: digitpad-cli reads the exported input as $cli_read too"

# T: training progress while the window keeps drawing; a screenshot.
from=$(lines)
xdotool key --window "$wid" t
wait_for '^train epoch [0-9]+ pos [0-9]+/[0-9]+ loss [0-9.]+ sps [0-9.]+$' 120 "$from"
sleep 3
import -window root "$build/window_xvfb.png" || fail "screenshot failed"
echo "window_xvfb: screenshot while training: $build/window_xvfb.png"
grep -E '^train epoch' "$work/out" | tail -2

# Esc: the trainer is stopped and joined, the process exits 0.
xdotool key --window "$wid" Escape
rc=0
for _ in $(seq 300); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$app_pid" 2>/dev/null && fail "digitpad did not exit after Esc"
wait "$app_pid" || rc=$?
app_pid=""
[ "$rc" = 0 ] || fail "digitpad exited with $rc: $(cat "$work/err")"
grep -E '^(frames|drawn|intervals) ' "$work/out"
grep -Eq '^frames training count=[1-9]' "$work/out" || fail "no frames counted while training"
echo "window_xvfb: OK"
