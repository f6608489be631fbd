#!/usr/bin/env bash
# The window with no display (issue #11 defect 5): with DISPLAY and
# WAYLAND_DISPLAY unset, or DISPLAY naming no X server, and SDL_VIDEODRIVER
# not set, digitpad must say "no display" in one line and exit 1 instead of
# running invisibly on SDL's offscreen driver; scripts/run-app says the same
# on a headless machine (before installing or building anything).
#   bash tests/window_nodisplay.sh <digitpad-cli> <build-dir>   (from the repo root)
set -u
build=${2:?usage: window_nodisplay.sh <digitpad-cli> <build-dir>}
app=$build/src/app/digitpad
[ -x "$app" ] || { echo "FAILED: no window program at $app" >&2; exit 1; }
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
passed=0 failed=0
# check WHAT REGEX CMD...: exit 1 within 20 s, and stderr's last line matches REGEX.
check() {
    local what=$1 re=$2
    shift 2
    timeout 20 "$@" >"$out" 2>"$err"
    local rc=$?
    if [ $rc -ne 1 ]; then
        echo "FAILED: $what: exit status $rc, expected 1" >&2
        sed 's/^/    stderr: /' "$err" | head -n 5 >&2
        failed=$((failed + 1))
    elif ! tail -n 1 "$err" | grep -Eq -- "$re"; then
        echo "FAILED: $what: stderr does not end with /$re/" >&2
        sed 's/^/    stderr: /' "$err" | head -n 5 >&2
        failed=$((failed + 1))
    else
        passed=$((passed + 1))
    fi
}
# D-Bus, which SDL starts at init, keeps allocations LSan reports (as in
# window_xvfb.sh); the program's own code is leak-checked by the app tests.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
msg='; run it in a desktop session, or set SDL_VIDEODRIVER to choose a video driver$'
check "no DISPLAY, no WAYLAND_DISPLAY" "^digitpad: no display \(DISPLAY and WAYLAND_DISPLAY are not set\)$msg" \
    env -u DISPLAY -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER "$app"
if [ "$(wc -l <"$err")" -eq 1 ]; then passed=$((passed + 1)); else
    echo "FAILED: more than one line on stderr" >&2; failed=$((failed + 1)); fi
# A display number with no server (no socket for it).
n=7999
while [ -e "/tmp/.X11-unix/X$n" ] || [ -e "/tmp/.X$n-lock" ]; do n=$((n + 1)); done
check "DISPLAY=:$n (no server)" "^digitpad: no display \(cannot open :$n\)$msg" \
    env -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER DISPLAY=:$n XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp}" "$app"
check "scripts/run-app on a headless machine" "^digitpad: no display \(DISPLAY and WAYLAND_DISPLAY are not set\)$msg" \
    env -u DISPLAY -u WAYLAND_DISPLAY -u SDL_VIDEODRIVER bash scripts/run-app
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
