#!/usr/bin/env bash
# The Debian package: `cpack -G DEB` in the build directory, then
#   - dpkg-deb: name, version, architecture, the files under /usr, and a
#     Depends line naming SDL2, SDL2_ttf, OpenBLAS, zlib, fontconfig and
#     fonts-dejavu-core;
#   - every shared library the programs and libdigitpad.so link directly
#     comes from a Debian package the .deb depends on (directly, or as one of
#     the alternatives a dependency such as libopenblas0 stands for);
#   - dpkg installs it into a throwaway root (dpkg --root), the installed
#     digitpad-cli classifies a test image with the installed model, and
#     dpkg removes it again leaving nothing behind.
#
#   bash tests/package.sh <path-to-digitpad-cli> <build-dir>   (from the repo root)
#
# Needs cpack, dpkg-deb, dpkg, python3 and MNIST in $DIGITPAD_DATA.
set -u

BUILD=${2:?usage: bash tests/package.sh <path-to-digitpad-cli> <build-dir>}
DATA=${DIGITPAD_DATA:-data/mnist}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/dppackage-XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT

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

check "cpack -G DEB" cpack -G DEB --config "$BUILD/CPackConfig.cmake" -B "$TMP/pkg"
deb=$(find "$TMP/pkg" -maxdepth 1 -name 'digitpad_*.deb' | head -n 1)
if [ -z "$deb" ]; then
    fail "cpack made no digitpad_*.deb"
    exit 1
fi
echo "package: $(basename "$deb"), $(stat -c %s "$deb") bytes"

field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = digitpad ] && pass || fail "Package is '$(field Package)'"
[ "$(field Architecture)" = "$(dpkg --print-architecture)" ] && pass ||
    fail "Architecture is '$(field Architecture)'"
version=$(sed -n 's/^project(digitpad VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
[ "$(field Version)" = "$version" ] && pass || fail "Version '$(field Version)', project $version"
depends=$(field Depends)
echo "package: Depends: $depends"
# The dependency names, without versions or alternatives' separators.
dep_names=$(echo "$depends" | tr ',|' '\n\n' | sed 's/(.*)//; s/[[:space:]]//g' | grep -v '^$')
for want in libsdl2-2.0-0 libsdl2-ttf-2.0-0 libopenblas0 zlib1g libfontconfig1 fonts-dejavu-core; do
    echo "$dep_names" | grep -qx "$want" && pass || fail "Depends lacks $want"
done
# Every dependency is a real Debian package this system knows.
for d in $dep_names; do
    apt-cache show "$d" >/dev/null 2>&1 && pass || fail "Depends names $d, which apt does not know"
done

dpkg-deb --contents "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$TMP/contents"
arch_dir=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
for f in /usr/bin/digitpad /usr/bin/digitpad-cli "/usr/lib/$arch_dir/libdigitpad.so.0" \
    "/usr/lib/$arch_dir/libdigitpad.a" /usr/include/digitpad/digitpad.h \
    "/usr/lib/$arch_dir/pkgconfig/digitpad.pc" "/usr/lib/$arch_dir/cmake/digitpad/digitpadConfig.cmake" \
    /usr/share/digitpad/models/mnist-800.dpm /usr/share/applications/digitpad.desktop \
    /usr/share/icons/hicolor/48x48/apps/digitpad.png /usr/share/icons/hicolor/scalable/apps/digitpad.svg \
    /usr/share/man/man1/digitpad.1.gz /usr/share/man/man1/digitpad-cli.1.gz; do
    grep -q -- "^$f\( -> .*\)\?$" "$TMP/contents" && pass || fail "package lacks $f"
done
grep -v '^/usr\(/\|$\)' "$TMP/contents" | grep -v '^/$' | grep -q . &&
    fail "package has files outside /usr: $(grep -v '^/usr' "$TMP/contents" | head -n 3)" || pass

# Direct library dependencies of the packaged ELF files -> their packages.
check "dpkg-deb -x" dpkg-deb -x "$deb" "$TMP/x"
allowed=$(for d in $dep_names; do
    echo "$d"
    # What a dependency itself depends on may satisfy a library (libopenblas0
    # -> libopenblas0-pthread | libopenblas0-openmp | libopenblas0-serial).
    dpkg-query -W -f='${Depends}\n' "$d" 2>/dev/null | tr ',|' '\n\n' | sed 's/(.*)//; s/:any//; s/[[:space:]]//g'
done | grep -v '^$' | sort -u)
for elf in "$TMP/x/usr/bin/digitpad" "$TMP/x/usr/bin/digitpad-cli" "$TMP/x/usr/lib/$arch_dir/libdigitpad.so.0"; do
    for lib in $(readelf -d "$elf" | sed -n 's/.*NEEDED.*\[\(.*\)\]/\1/p'); do
        path=$(ldconfig -p | awk -v l="$lib" '$1 == l && $NF ~ /^\// {print $NF; exit}')
        pkg=""
        # dpkg knows a file by the path its package ships: try the path, the
        # symlinks' target, and both without a merged /usr's /usr.
        real=$(readlink -f "$path")
        for cand in "$path" "$real" "${path#/usr}" "${real#/usr}" "/usr$path"; do
            [ -n "$pkg" ] || pkg=$(dpkg -S "$cand" 2>/dev/null | head -n 1 | cut -d: -f1)
        done
        if [ -z "$pkg" ]; then
            fail "$(basename "$elf") needs $lib, which no installed package provides"
        elif echo "$allowed" | grep -qx "$pkg" || [ "$pkg" = libc6 ]; then
            pass
        else
            fail "$(basename "$elf") needs $lib from $pkg, which the package does not depend on"
        fi
    done
done

# --- install into a throwaway root ---------------------------------------------
R=$TMP/root
mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates" "$R/var/lib/dpkg/triggers"
: >"$R/var/lib/dpkg/status"
# The root holds only this package, so its dependencies are not there:
# --force-depends; the libraries come from this system when it runs.
dpkg_r() { dpkg --root="$R" --log=/dev/null --force-not-root --force-depends "$@"; }
check "dpkg --root -i" dpkg_r -i "$deb"
check "dpkg --root -L" dpkg_r -L digitpad
grep -qx /usr/bin/digitpad-cli "$TMP/out" && pass || fail "dpkg does not list /usr/bin/digitpad-cli"

python3 - "$DATA" "$TMP/seven.pgm" <<'PY' || fail "cannot make the test image from $DATA"
import gzip, os, sys
p = os.path.join(sys.argv[1], "t10k-images-idx3-ubyte")
raw = gzip.open(p + ".gz").read() if os.path.exists(p + ".gz") else open(p, "rb").read()
open(sys.argv[2], "wb").write(b"P5 28 28 255\n" + raw[16:16 + 784])
PY
check "packaged digitpad-cli --version" "$R/usr/bin/digitpad-cli" --version
grep -qx "digitpad-cli $version" "$TMP/out" && pass || fail "packaged digitpad-cli --version"
check "packaged digitpad-cli predict" env LD_LIBRARY_PATH="$R/usr/lib/$arch_dir" \
    "$R/usr/bin/digitpad-cli" predict --model "$R/usr/share/digitpad/models/mnist-800.dpm" \
    "$TMP/seven.pgm"
grep -q 'seven.pgm: 7  (p=' "$TMP/out" && pass || fail "packaged digitpad-cli does not read the 7"
cat "$TMP/out"

check "dpkg --root -r" dpkg_r -r digitpad
left=$(find "$R" -path "$R/var" -prune -o ! -type d -print | head -n 3)
[ -z "$left" ] && pass || fail "files left after removal: $left"

echo "package: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
