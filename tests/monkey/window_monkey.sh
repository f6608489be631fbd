#!/usr/bin/env bash
# Monkey test of the real window: random mouse and key input under Xvfb
# while the network trains, for a fixed time, then quit; the program must
# stay up the whole time and exit 0 (in the ASan build any sanitizer report
# makes it exit non-zero).
#   bash tests/monkey/window_monkey.sh <build-dir> [SECONDS=60] [SEED=$RANDOM]
# The seed is printed first; run again with it to replay the same input.
# Needs Xvfb, xdotool and MNIST ($DIGITPAD_DATA or data/mnist). Not part of
# CTest (it takes a minute): scripts/run-tests runs it on the ASan build.
set -euo pipefail

build=${1:?usage: window_monkey.sh <build-dir> [seconds] [seed]}
secs=${2:-60}
seed=${3:-$((RANDOM * 32768 + RANDOM))}
repo=$PWD
fail() { echo "window_monkey: FAIL (seed $seed): $*" >&2; exit 1; }
build=$(cd "$build" && pwd)
app="$build/src/app/digitpad"
[ -x "$app" ] || fail "no window program at $app"
for tool in Xvfb xdotool; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/setup --test installs it)"
done
data=${DIGITPAD_DATA:-data/mnist}
case $data in /*) ;; *) data=$repo/$data ;; esac
[ -d "$data" ] || fail "MNIST not found in $data: run scripts/get-mnist or set DIGITPAD_DATA"
echo "window_monkey: seed $seed, ${secs}s (replay: bash $0 $1 $secs $seed)"

work=$(mktemp -d)
xvfb_pid="" app_pid=""
cleanup() {
  [ -n "$app_pid" ] && kill -9 "$app_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

Xvfb -displayfd 3 -screen 0 1600x1000x24 -nolisten tcp 3>"$work/display" 2>"$work/xvfb.log" &
xvfb_pid=$!
for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.1; done
[ -s "$work/display" ] || fail "Xvfb did not start: $(cat "$work/xvfb.log")"
export DISPLAY=:$(tr -d '\n' <"$work/display")

# Saves and exports land in the scratch directory. Leak checking is off for
# this process (X11 libraries loaded at run time; see window_xvfb.sh).
(cd "$work" && ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
  exec "$app" --verbose --data "$data" --save-to "$work/saved.dpm" >"$work/out" 2>"$work/err") &
app_pid=$!
alive() { kill -0 "$app_pid" 2>/dev/null || fail "digitpad exited during the test: $(tail -n 30 "$work/err")"; }

wid=""
for _ in $(seq 300); do
  alive
  wid=$(xdotool search --name '^digitpad$' 2>/dev/null | head -1 || true)
  [ -n "$wid" ] && grep -q '^canvas ' "$work/out" && break
  sleep 0.1
done
[ -n "$wid" ] || fail "no digitpad window"
read -r _ _ _ ww wh < <(xdotool getwindowgeometry --shell "$wid" | tr '=\n' '  ' |
  awk '{for (i = 1; i < NF; i++) { if ($i == "WIDTH") w = $(i+1); if ($i == "HEIGHT") h = $(i+1) }
        print "x", "x", "x", w, h}')
xdotool key --window "$wid" t # training on for the whole run (T is not among the random keys)
# Space (one batch, then pause) and R (a fresh network, a new run) stop
# training: after them, T starts it again once the window says so.
keep_training() {
  local state
  state=$(grep -E '^train (idle|loading|training|evaluating|paused|done|failed)$' "$work/out" | tail -1 || true)
  case $state in "train idle" | "train paused" | "train done") xdotool key --window "$wid" t ;; esac
}

RANDOM=$seed
keys=(c BackSpace a p g s l h F1 ctrl+s Delete space x 7 r n m Tab shift+Tab plus minus v w e Left Right Up Down)
end=$((SECONDS + secs))
n=0
while [ $SECONDS -lt $end ]; do
  alive
  x=$((RANDOM % ww)) y=$((RANDOM % wh))
  case $((RANDOM % 10)) in
  0 | 1 | 2 | 3) # a stroke: press, a few moves, release (left draws, right erases)
    b=$((RANDOM % 4 == 0 ? 3 : 1))
    cmd=(mousemove --window "$wid" "$x" "$y" mousedown "$b")
    for _ in 1 2 3 4 5 6; do
      x=$(((x + RANDOM % 81 - 40 + ww) % ww)) y=$(((y + RANDOM % 81 - 40 + wh) % wh))
      cmd+=(mousemove --window "$wid" "$x" "$y")
    done
    xdotool "${cmd[@]}" mouseup "$b" ;;
  4 | 5) xdotool mousemove --window "$wid" "$x" "$y" click $((RANDOM % 5 + 1)) ;; # incl. wheel
  6 | 7 | 8) xdotool key --window "$wid" "${keys[RANDOM % ${#keys[@]}]}" ;;
  9) # resize now and then (a small and a large window included)
    sizes=("1280 720" "2560 1440" "900 600" "1600 1000")
    read -r ww wh <<<"${sizes[RANDOM % 4]}"
    xdotool windowsize "$wid" "$ww" "$wh" ;;
  esac
  n=$((n + 1))
  if [ $((n % 8)) = 0 ]; then sleep 0.2; keep_training; fi
done
alive
grep -Eq '^train epoch ' "$work/out" || fail "no training progress in ${secs}s"
# Quit (Ctrl+Q quits whether or not the help overlay is open).
xdotool key --window "$wid" ctrl+q
rc=""
for _ in $(seq 300); do
  if ! kill -0 "$app_pid" 2>/dev/null; then
    wait "$app_pid" && rc=0 || rc=$?
    break
  fi
  sleep 0.1
done
[ -n "$rc" ] || fail "digitpad did not quit within 30s of Ctrl+Q"
app_pid=""
[ "$rc" = 0 ] || fail "digitpad exited with $rc: $(tail -n 30 "$work/err")"
echo "window_monkey: $n random actions in ${secs}s, training on, exit 0"
