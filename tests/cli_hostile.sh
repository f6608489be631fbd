#!/usr/bin/env bash
# digitpad-cli on the hostile inputs of issue #11: each used to hang, crash,
# exhaust memory, print NaN or pass terminal escapes through; each must now
# give one clear error line (or the right answer) quickly.
#
#   bash tests/cli_hostile.sh <path-to-digitpad-cli> <build-dir>   (from the repo root)
#
# Every command runs under `timeout` so a hang fails the test instead of
# stopping CI. Uses the shipped model (models/mnist-800.dpm) and python3.
set -u

CLI=${1:?usage: bash tests/cli_hostile.sh <path-to-digitpad-cli> <build-dir>}
MODEL=models/mnist-800.dpm
TMP=$(mktemp -d "${TMPDIR:-/tmp}/dphostile-XXXXXX") || exit 1
trap 'rm -rf "$TMP"' EXIT
passed=0 failed=0
fail() {
    failed=$((failed + 1))
    echo "FAILED: $*" >&2
    sed 's/^/    stdout: /' "$TMP/out" | head -n 5 | cat -v >&2
    sed 's/^/    stderr: /' "$TMP/err" | head -n 5 | cat -v >&2
}
# run ARGS...: the CLI with a 20 s limit; status in $rc (124: it hung).
run() {
    timeout 20 "$CLI" "$@" >"$TMP/out" 2>"$TMP/err"
    rc=$?
}
# expect STATUS REGEX WHAT: status, and one stderr line "digitpad-cli: ..." matching REGEX.
expect() {
    if [ "$rc" -ne "$1" ]; then
        fail "$3: exit status $rc, expected $1"
    elif [ -n "$2" ] && ! grep -Eq -- "$2" "$TMP/err"; then
        fail "$3: stderr does not match /$2/"
    else
        passed=$((passed + 1))
    fi
}
[ -f "$MODEL" ] || { echo "FAILED: no shipped model $MODEL" >&2; exit 1; }

python3 - "$TMP" "$MODEL" <<'PY' || { echo "FAILED: could not write the inputs" >&2; exit 1; }
import os, struct, sys, zlib
out, model = sys.argv[1], sys.argv[2]
def w(name, data):
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
# Defect 1: 91-byte Radiance HDR whose RLE scanline of "copy 0" runs ends at EOF.
w("loop.hdr", (b"#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y 1 +X 8\n" + bytes((2, 2, 0, 8))).ljust(91, b"\0"))
# Defect 2: a 16-bit binary PPM header of 4000x4000 with no samples.
w("p.ppm", b"P6\n4000 4000\n65535\n")
# Defect 6: the shipped model with every weight scaled up to huge but finite values.
m = bytearray(open(model, "rb").read())
n_in, n_hid = struct.unpack_from("<II", m, 20)
n_out = struct.unpack_from("<I", m, 36)[0]
hdr = struct.unpack_from("<I", m, 12)[0]  # header size: 204 (version 1) or 268 (version 2)
w1, w2 = n_in * n_hid, n_hid * n_out
for off in (hdr, hdr + 4 * (w1 + n_hid)):
    count = w1 if off == hdr else w2
    vals = struct.unpack_from("<%df" % count, m, off)
    struct.pack_into("<%df" % count, m, off, *[v * 1e30 if abs(v) < 3e8 else v for v in vals])
struct.pack_into("<I", m, len(m) - 4, zlib.crc32(bytes(m[:-4])))
w("huge.dpm", bytes(m))
# Defect 9: a note with terminal escape sequences (set the title, red text).
m = bytearray(open(model, "rb").read())
m[76:76 + 128] = b"\x1b]0;owned\x07\x1b[31mred\x9b1m caf\xc3\xa9".ljust(128, b"\0")
struct.pack_into("<I", m, len(m) - 4, zlib.crc32(bytes(m[:-4])))
w("escape.dpm", bytes(m))
# Defect 7: a 28x28 digit-like stroke as a bottom-up and as a top-down 8-bit BMP.
rows = [bytes(255 if (abs(x - 14) < 3 and 4 < y < 24) or (abs(y - 6) < 2 and 8 < x < 15)
              else 0 for x in range(28)) for y in range(28)]  # top row first: a "1"
pal = b"".join(bytes((i, i, i, 0)) for i in range(256))
def bmp(top_down):
    data = b"".join(rows if top_down else rows[::-1])
    info = struct.pack("<IiiHHIIiiII", 40, 28, -28 if top_down else 28, 1, 8, 0, len(data), 0, 0, 256, 0)
    return b"BM" + struct.pack("<IHHI", 54 + 1024 + len(data), 0, 0, 54 + 1024) + info + pal + data
w("up.bmp", bmp(False))
w("down.bmp", bmp(True))
# Defect 8: a gzip "bomb": 740 MiB of zeros (under 1 MB compressed) after a
# header claiming 1,000,000 images, cut before its trailer.
os.mkdir(os.path.join(out, "bomb"))
z = zlib.compressobj(9, zlib.DEFLATED, 31)
gz = z.compress(struct.pack(">IIII", 0x803, 1000000, 28, 28))
chunk = bytes(1 << 20)
for _ in range(740):
    gz += z.compress(chunk)
gz = (gz + z.flush())[:-100]
w("bomb/t10k-images-idx3-ubyte.gz", gz)
w("bomb/t10k-labels-idx1-ubyte", struct.pack(">II", 0x801, 1000000) + bytes(1000000))
w("bomb/train-images-idx3-ubyte", b"")
w("bomb/train-labels-idx1-ubyte", b"")
PY

# Defect 3: a FIFO as a model or as an IDX file is refused at once.
mkfifo "$TMP/f.dpm"
run inspect "$TMP/f.dpm"
expect 1 '^digitpad-cli: cannot read model: .*f\.dpm: not a regular file \(it is a FIFO\)$' "inspect of a FIFO"
run predict --model "$TMP/f.dpm" "$TMP/up.bmp"
expect 1 'not a regular file \(it is a FIFO\)' "predict with a FIFO model"
mkdir "$TMP/fifo-data"
mkfifo "$TMP/fifo-data/t10k-images-idx3-ubyte" "$TMP/fifo-data/t10k-labels-idx1-ubyte"
run eval --model "$MODEL" --data "$TMP/fifo-data"
expect 1 'not a regular file \(it is a FIFO\)' "eval with FIFO IDX files"
run predict --model "$MODEL" "$TMP/f.dpm"
expect 1 'cannot read image: .*FIFO' "predict on a FIFO image"

# Defects 1 and 2: the HDR file that hung, the PPM that crashed.
run predict --model "$MODEL" "$TMP/loop.hdr"
expect 1 '^digitpad-cli: cannot read image: .*loop\.hdr: not supported: a Radiance HDR image' "predict on the looping HDR"
run predict --model "$MODEL" "$TMP/p.ppm"
expect 1 '^digitpad-cli: cannot read image: .*p\.ppm: PPM ends early' "predict on the 16-bit PPM"

# Defect 6: finite but huge weights: refused at load, no "p=-nan".
run predict --model "$TMP/huge.dpm" "$TMP/up.bmp"
expect 1 '^digitpad-cli: cannot load model: .*huge\.dpm: weights so large that the network.s outputs can overflow' "predict with a huge-weight model"
if grep -qi nan "$TMP/out"; then fail "predict printed NaN"; else passed=$((passed + 1)); fi
run eval --model "$TMP/huge.dpm"
expect 1 'overflow' "eval with a huge-weight model"

# Defect 7: a top-down BMP reads as the same picture as the bottom-up one.
run predict --model "$MODEL" "$TMP/up.bmp"
expect 0 '' "predict on a bottom-up BMP"
up=$(sed 's/^[^:]*: //' "$TMP/out")
run predict --model "$MODEL" "$TMP/down.bmp"
expect 0 '' "predict on a top-down BMP"
down=$(sed 's/^[^:]*: //' "$TMP/out")
if [ -n "$up" ] && [ "$up" = "$down" ]; then passed=$((passed + 1)); else
    fail "top-down BMP predicted '$down', bottom-up '$up'"; fi

# Defect 8: the gzip bomb is reported as cut off, without the memory to
# hold what it inflates to (a 600 MB address-space limit, but in sanitizer builds).
# Sanitizer runtimes reserve terabytes of address space: no limit there.
limit=600000
grep -Eq '^DIGITPAD_(SANITIZE|TSAN):BOOL=ON' "${2:-.}/CMakeCache.txt" 2>/dev/null && limit=unlimited
(ulimit -v $limit; exec timeout 60 "$CLI" eval --model "$MODEL" --data "$TMP/bomb") >"$TMP/out" 2>"$TMP/err"
rc=$?
expect 1 't10k-images-idx3-ubyte\.gz: .*(is cut off|is truncated)' "eval on a gzip bomb"

# Defect 9: inspect escapes the note's control characters.
run inspect "$TMP/escape.dpm"
expect 0 '' "inspect of a model with escapes in its note"
if LC_ALL=C grep -q $'[\x1b\x07\x9b]' "$TMP/out"; then fail "inspect passed control characters through"
elif grep -qF 'note           \x1b]0;owned\x07\x1b[31mred\x9b1m café' "$TMP/out"; then passed=$((passed + 1))
else fail "inspect does not show the escaped note"; fi

# Messages: errno's reason instead of "can't fopen"; the content decides.
run predict --model "$MODEL" "$TMP/no-such.png"
expect 1 'no-such\.png: cannot open: No such file or directory' "predict on a missing image"
cp "$TMP/up.bmp" "$TMP/bmp-named.png"
run predict --model "$MODEL" "$TMP/bmp-named.png"
expect 0 '' "a BMP named .png is read by its content"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
