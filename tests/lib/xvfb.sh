# Shared by the Xvfb window tests (tests/window_*.sh); source it after
# setting `name` (for messages), `work` (a fresh temporary directory) and
# defining nothing else of these names.
#   fail MSG              print "NAME: FAIL: MSG" and exit 1
#   xvfb_start [WxH]      start Xvfb (screen 1600x1000 unless given) on a free
#                         display, export DISPLAY
#   wait_for RE SECS [N]  a stdout line ($work/out) matching RE after line N
#   lines                 lines of $work/out so far
#   strokes SCALE NAME... stroke points (window coordinates, one stroke per
#                         line) of drawn_digits.h arrays, or "xy:x0,y0,..."
#                         design coordinates, SCALE times the design size
#                         around the canvas centre (needs cx cy cw)
#   mouse_draw SCALE NAME...  draw those strokes with the left button
# The caller sets app_pid once the window program runs; both processes are
# killed and $work removed on exit.

fail() { echo "$name: FAIL: $*" >&2; exit 1; }

xvfb_pid="" app_pid=""
cleanup() {
  [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Xvfb picks a free display itself and tells us which (-displayfd).
xvfb_start() {
  Xvfb -displayfd 3 -screen 0 "${1:-1600x1000}x24" -nolisten tcp 3>"$work/display" 2>"$work/xvfb.log" &
  xvfb_pid=$!
  for _ in $(seq 100); do [ -s "$work/display" ] && break; sleep 0.1; done
  [ -s "$work/display" ] || fail "Xvfb did not start: $(cat "$work/xvfb.log")"
  export DISPLAY=:$(tr -d '\n' <"$work/display")
  echo "$name: Xvfb on $DISPLAY"
}

wait_for() {
  local re=$1 secs=$2 from=${3:-0}
  for _ in $(seq $((secs * 10))); do
    if tail -n +"$((from + 1))" "$work/out" | grep -Eq "$re"; then return 0; fi
    kill -0 "$app_pid" 2>/dev/null || fail "digitpad exited early: $(cat "$work/err")"
    sleep 0.1
  done
  echo "--- stdout (without predict lines, the last 60)"; grep -v '^predict' "$work/out" | tail -60
  echo "--- stderr"; cat "$work/err"
  fail "no line matching '$re' within ${secs}s"
}
lines() { wc -l <"$work/out"; }

# Sampled every ~1.5 cells like a moving mouse.
strokes() {
  python3 - "$repo/tests/drawn_digits.h" "$cx" "$cy" "$cw" "$@" <<'PY'
import re, sys, math
src = open(sys.argv[1]).read()
cx, cy, cw = map(int, sys.argv[2:5])
scale = float(sys.argv[5])
for name in sys.argv[6:]:
    if name.startswith("xy:"):  # literal design coordinates x0,y0,x1,y1,...
        v = [float(t) for t in name[3:].split(",")]
    else:
        m = re.search(r"static const float %s\[\] = \{(.*?)\};" % re.escape(name), src, re.S)
        if not m:
            sys.exit("no stroke %s in drawn_digits.h" % name)
        v = [float(t.strip().rstrip("f")) for t in m.group(1).split(",") if t.strip()]
    pts = [(14 + scale * (v[i] - 14), 14 + scale * (v[i + 1] - 14)) for i in range(0, len(v), 2)]
    out = [pts[0]]
    for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
        k = max(1, int(math.hypot(x1 - x0, y1 - y0) / 1.5))
        out += [(x0 + (x1 - x0) * j / k, y0 + (y1 - y0) * j / k) for j in range(1, k + 1)]
    print(" ".join("%d %d" % (round(cx + x * cw / 28), round(cy + y * cw / 28)) for x, y in out))
PY
}

mouse_draw() {
  local p
  while read -r -a p; do
    local cmd=(mousemove --window "$wid" "${p[0]}" "${p[1]}" mousedown 1)
    for ((i = 2; i < ${#p[@]}; i += 2)); do
      cmd+=(sleep 0.015 mousemove --window "$wid" "${p[i]}" "${p[i + 1]}")
    done
    xdotool "${cmd[@]}" sleep 0.05 mouseup 1
  done < <(strokes "$@")
}
