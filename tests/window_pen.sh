#!/usr/bin/env bash
# Real people's pen digits through the real window under Xvfb
# (docs/pen-digits.md):
#   bash tests/window_pen.sh <digitpad-cli> <build-dir>     (from the repo root)
# Replays the first 20 drawings of the pen-digit dev set (two of each digit,
# several writers) with the mouse, each pen-down segment one mouse stroke,
# the drawing 70% of the canvas tall around its centre, and checks the
# window's "predict" lines: at least 19 of 20 read as written (the pen
# suite, test_pen_digits, reads 98.9% of all 6,497 with the same model).
# Needs $DIGITPAD_PEN_DATA/dev.json (default data/human-digits).
set -euo pipefail

cli=${1:?usage: window_pen.sh <digitpad-cli> <build-dir>}
build=${2:?usage: window_pen.sh <digitpad-cli> <build-dir>}
repo=$PWD
name=window_pen
work=$(mktemp -d)
. "$repo/tests/lib/xvfb.sh"
build=$(cd "$build" && pwd)
app="$build/src/app/digitpad"
for tool in Xvfb xdotool python3; do
  command -v "$tool" >/dev/null ||
    fail "$tool is not installed (Debian: xvfb xdotool python3; scripts/setup --test installs them)"
done
[ -x "$app" ] || fail "no window program at $app"
pen=${DIGITPAD_PEN_DATA:-data/human-digits}
case $pen in /*) ;; *) pen=$repo/$pen ;; esac
[ -f "$pen/dev.json" ] || fail "no pen digits at $pen/dev.json (set DIGITPAD_PEN_DATA)"

xvfb_start
(cd "$work" && ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
  exec "$app" --verbose >"$work/out" 2>"$work/err") &
app_pid=$!
wait_for '^canvas [0-9]+ [0-9]+ [0-9]+ [0-9]+$' 30
read -r cx cy cw ch < <(grep '^canvas' "$work/out" | tail -1 | cut -d' ' -f2-)
wid=$(xdotool search --sync --name '^digitpad$' | head -1)
[ -n "$wid" ] || fail "no digitpad window"

# One line per drawing: "LABEL WRITER", then one line per stroke of window
# points, then "end".
python3 - "$pen/dev.json" "$cx" "$cy" "$cw" >"$work/drawings" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))["drawings"][:20]
cx, cy, cw = map(int, sys.argv[2:5])
for dr in d:
    pts = [p for s in dr["strokes"] for p in s]
    x0, x1 = min(p[0] for p in pts), max(p[0] for p in pts)
    y0, y1 = min(p[1] for p in pts), max(p[1] for p in pts)
    h = 0.7 * 28
    k = h / (y1 - y0) if y1 > y0 else h / max(x1 - x0, 1e-6)
    if k * (x1 - x0) > 0.85 * 28:
        k = 0.85 * 28 / (x1 - x0)
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    print(dr["label"], dr["writer"])
    for s in dr["strokes"]:
        print(" ".join("%d %d" % (round(cx + (14 + k * (x - mx)) * cw / 28),
                                  round(cy + (14 + k * (y - my)) * cw / 28)) for x, y in s))
    print("end")
PY

right=0 total=0
exec 4<"$work/drawings"
while read -r label writer <&4; do
  xdotool key --window "$wid" c
  sleep 0.2
  from=$(lines)
  while read -r -a p <&4 && [ "${p[0]}" != end ]; do
    cmd=(mousemove --window "$wid" "${p[0]}" "${p[1]}" mousedown 1)
    for ((i = 2; i < ${#p[@]}; i += 2)); do
      cmd+=(sleep 0.005 mousemove --window "$wid" "${p[i]}" "${p[i + 1]}")
    done
    xdotool "${cmd[@]}" sleep 0.05 mouseup 1
  done
  sleep 0.3
  wait_for '^predict ([0-9]|notdigit)( [0-9.]+){10}( unsure)?$' 10 "$from"
  got=$(tail -n +"$((from + 1))" "$work/out" | grep -E '^predict ' | tail -1 | cut -d' ' -f2)
  total=$((total + 1))
  [ "$got" = "$label" ] && right=$((right + 1))
  echo "window_pen: $writer wrote $label, the window reads $got"
done
echo "window_pen: $right of $total read as written"
[ "$total" = 20 ] || fail "replayed $total drawings, not 20"
[ "$right" -ge 19 ] || fail "only $right of 20 pen digits read as written"
xdotool key --window "$wid" Escape
for _ in $(seq 300); do kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$app_pid" 2>/dev/null && fail "digitpad did not exit after Esc"
rc=0
wait "$app_pid" || rc=$?
app_pid=""
[ "$rc" = 0 ] || fail "digitpad exited with $rc: $(cat "$work/err")"
echo "window_pen: OK"
