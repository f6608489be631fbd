#!/usr/bin/env python3
"""Write the fuzz targets' committed inputs into DIR/corpus/<target>/ (small
valid seeds) and DIR/regress/<target>/ (inputs that once broke something:
the reproducers of issue #11).

Usage: python3 tests/fuzz/make_seeds.py tests/fuzz
The .dpm writer here follows docs/model-format.md, and the PNG, BMP and
PGM/PPM writers their specifications, independently of the C code, so a
seed that the library rejects points at a disagreement. JPEG seeds (and an
interlaced PNG) come from ImageMagick's `convert` when it is installed."""
import gzip
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib


def idx_images(n, count=None):
    body = bytes((i * 31 + p * 7) & 255 for i in range(n) for p in range(784))
    return struct.pack(">IIII", 0x803, n if count is None else count, 28, 28) + body


def idx_labels(n):
    return struct.pack(">II", 0x801, n) + bytes(i * 3 % 10 for i in range(n))


def dpm(n_in, n_hid, n_out, weight=None):
    head = b"DPM1\r\n\x1a\n" + struct.pack("<III", 1, 204, 2)
    head += struct.pack("<6I", n_in, n_hid, 1, n_hid, n_out, 2)
    head += struct.pack("<IQfQq", 3, 1000, 0.5, 42, 1700000000)
    head += b"seed model".ljust(128, b"\0")
    assert len(head) == 204
    n = n_in * n_hid + n_hid + n_hid * n_out + n_out
    params = [(i % 7 - 3) / 8 for i in range(n)]
    if weight is not None:  # every weight of both layers (not the biases)
        w1, w2 = n_in * n_hid, n_hid * n_out
        for i in list(range(w1)) + list(range(w1 + n_hid, w1 + n_hid + w2)):
            params[i] = weight
    body = head + struct.pack("<%df" % n, *params)
    return body + struct.pack("<I", zlib.crc32(body))


def pixel(x, y):
    return (x * 37 + y * 11) & 255


def png(w, h, color_type, depth, rows_of):
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data)))
    raw = b"".join(b"\0" + rows_of(y) for y in range(h))
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth,
                                                            color_type, 0, 0, 0))
    if color_type == 3:
        out += chunk(b"PLTE", bytes(v for i in range(16) for v in (i * 17, 255 - i * 9, i)))
    return out + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def bmp(w, h, bpp, top_down=False, core=False):
    stride = (w * bpp + 31) // 32 * 4
    pal_n = 1 << bpp if bpp <= 8 else 0
    hsize = 12 if core else 40
    pal = b"".join(bytes((i * 3 & 255, 255 - i & 255, i & 255)) + (b"" if core else b"\0")
                   for i in range(pal_n))
    data_at = 14 + hsize + len(pal)
    rows = []
    for y in range(h):
        if bpp <= 8:
            bits = 0
            for x in range(w):
                bits = bits << bpp | (x + y) % pal_n
            nbits = w * bpp
            row = (bits << (stride * 8 - nbits)).to_bytes(stride, "big")
        elif bpp == 16:
            row = b"".join(struct.pack("<H", pixel(x, y) >> 3 << 10 | (x & 31) << 5 | y & 31)
                           for x in range(w))
        else:
            n = bpp // 8
            row = b"".join(bytes((pixel(x, y), x * 9 & 255, y * 5 & 255, 255)[:n])
                           for x in range(w))
        rows.append(row.ljust(stride, b"\0"))
    data = b"".join(rows if top_down else rows[::-1])
    if core:
        info = struct.pack("<IHHHH", 12, w, h, 1, bpp)
    else:
        info = struct.pack("<IiiHHIIiiII", 40, w, -h if top_down else h, 1, bpp, 0,
                           len(data), 2835, 2835, 0, 0)
    head = b"BM" + struct.pack("<IHHI", data_at + len(data), 0, 0, data_at)
    return head + info + pal + data


def pnm(w, h, color, maxval, comment=b""):
    n = 3 if color else 1
    samples = []
    for y in range(h):
        for x in range(w):
            for c in range(n):
                v = (pixel(x, y) + 60 * c) % 256 * maxval // 255
                samples.append(struct.pack(">H", v) if maxval > 255 else bytes((v,)))
    return (b"P6" if color else b"P5") + b"\n" + comment + b"%d %d\n%d\n" % (w, h, maxval) + \
        b"".join(samples)


def radiance_loop():
    """91 bytes: an RLE scanline of "copy 0" runs up to the end of the file
    (stb_image looped forever on it: CVE-2021-42715)."""
    head = b"#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y 1 +X 8\n" + bytes((2, 2, 0, 8))
    return head.ljust(91, b"\0")


def zero_bomb(count, zeros):
    """gzip of an IDX header claiming count images and `zeros` zero bytes,
    cut before its trailer."""
    z = zlib.compressobj(9, zlib.DEFLATED, 16 + 15)
    out = z.compress(struct.pack(">IIII", 0x803, count, 28, 28))
    chunk = bytes(1 << 20)
    for _ in range(zeros >> 20):
        out += z.compress(chunk)
    out += z.flush()
    return out[:-100]


def with_convert(tmp, name, args):
    """An image made by ImageMagick, or None if it is not installed."""
    if not shutil.which("convert"):
        return None
    path = os.path.join(tmp, name)
    subprocess.run(["convert"] + args + [path], check=True)
    with open(path, "rb") as f:
        return f.read()


def npy(shape, values):
    """A version 1.0 .npy of little-endian float32, as numpy.save writes it."""
    d = "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }" % (
        ", ".join(map(str, shape)) + ("," if len(shape) == 1 else ""))
    pad = -(10 + len(d) + 1) % 64
    h = (d + " " * pad + "\n").encode()
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(h)) + h + struct.pack(
        "<%df" % len(values), *values)


def npz(n_in, n_hid, n_out, method):
    """An .npz of a n_in-n_hid-n_out network written with Python's zipfile."""
    import io
    import zipfile
    arrays = {"W1": (n_in, n_hid), "b1": (n_hid,), "W2": (n_hid, n_out), "b2": (n_out,)}
    f = io.BytesIO()
    with zipfile.ZipFile(f, "w", method) as z:
        for name, shape in arrays.items():
            n = 1
            for s in shape:
                n *= s
            z.writestr(name + ".npy", npy(shape, [(i % 5 - 2) / 4 for i in range(n)]))
    return f.getvalue()


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


out = sys.argv[1]
seed, reg = f"{out}/corpus", f"{out}/regress"

write(f"{seed}/fuzz_idx/images1", idx_images(1))
write(f"{seed}/fuzz_idx/labels5", idx_labels(5))
write(f"{seed}/fuzz_idx_file/gz1", b"\0" + gzip.compress(idx_images(1)))
write(f"{seed}/fuzz_idx_file/raw2", b"\1" + idx_images(2))
write(f"{seed}/fuzz_model/plain", b"\0" + dpm(3, 4, 2))
write(f"{seed}/fuzz_model/file", b"\2" + dpm(2, 3, 2))

img = f"{seed}/fuzz_image"
write(f"{img}/gray8.png", png(9, 7, 0, 8, lambda y: bytes(pixel(x, y) for x in range(9))))
write(f"{img}/gray16.png", png(5, 4, 0, 16, lambda y: b"".join(
    struct.pack(">H", pixel(x, y) * 257) for x in range(5))))
write(f"{img}/gray1.png", png(10, 3, 0, 1, lambda y: bytes((0b10110010 ^ y, 0b01000000))))
write(f"{img}/rgb8.png", png(6, 5, 2, 8, lambda y: bytes(
    v for x in range(6) for v in (pixel(x, y), x * 40, y * 50))))
write(f"{img}/rgba8.png", png(4, 4, 6, 8, lambda y: bytes(
    v for x in range(4) for v in (pixel(x, y), 9, 200, x * 60))))
write(f"{img}/palette4.png", png(7, 3, 3, 4, lambda y: bytes(
    (x * 2 + y) % 16 << 4 | (x * 2 + 1 + y) % 16 for x in range(4))))
write(f"{img}/bmp24.bmp", bmp(5, 3, 24))
write(f"{img}/bmp32-top-down.bmp", bmp(4, 4, 32, top_down=True))
write(f"{img}/bmp16.bmp", bmp(6, 2, 16))
write(f"{img}/bmp8.bmp", bmp(7, 3, 8))
write(f"{img}/bmp4-top-down.bmp", bmp(9, 2, 4, top_down=True))
write(f"{img}/bmp1.bmp", bmp(17, 2, 1))
write(f"{img}/bmp24-core.bmp", bmp(3, 3, 24, core=True))
write(f"{img}/gray8.pgm", pnm(6, 4, False, 255, b"# a comment\n"))
write(f"{img}/gray16.pgm", pnm(3, 3, False, 65535))
write(f"{img}/rgb8.ppm", pnm(4, 3, True, 255))
write(f"{img}/rgb16.ppm", pnm(2, 2, True, 4095))
with tempfile.TemporaryDirectory() as tmp:
    src = ["-size", "16x12", "gradient:black-white", "-fill", "white", "-draw",
           "line 2,2 13,9"]
    for name, extra in (("baseline.jpg", ["-quality", "90"]),
                        ("gray.jpg", ["-colorspace", "Gray", "-quality", "80"]),
                        ("progressive.jpg", ["-interlace", "JPEG", "-quality", "75"]),
                        ("interlaced.png", ["-interlace", "PNG"])):
        data = with_convert(tmp, name, src + extra)
        if data is not None:
            write(f"{img}/{name}", data)

# The reproducers of issue #11.
write(f"{reg}/fuzz_image/hdr-rle-loop-cve-2021-42715.hdr", radiance_loop())
write(f"{reg}/fuzz_image/ppm16-4000x4000-no-samples.ppm", b"P6\n4000 4000\n65535\n")
write(f"{reg}/fuzz_image/ppm16-2x1.ppm", pnm(2, 1, True, 65535))
write(f"{reg}/fuzz_image/bmp8-top-down.bmp", bmp(28, 28, 8, top_down=True))
write(f"{reg}/fuzz_image/png-cut-at-33.png",
      png(9, 7, 0, 8, lambda y: bytes(pixel(x, y) for x in range(9)))[:33])
write(f"{reg}/fuzz_image/pgm-0x0.pgm", b"P5\n0 0\n255\n")
write(f"{reg}/fuzz_image/pgm-width-overflow.pgm", b"P5\n99999999999999999999 1\n255\n\0")
write(f"{reg}/fuzz_image/empty", b"")
write(f"{reg}/fuzz_idx/labels-as-images", idx_labels(5))
write(f"{reg}/fuzz_idx_file/labels-as-images", b"\4" + idx_labels(5))
crc = bytearray(gzip.compress(idx_images(2)))
crc[-8] ^= 1
write(f"{reg}/fuzz_idx_file/gzip-bad-crc", b"\1" + bytes(crc))
write(f"{reg}/fuzz_idx_file/gzip-zero-bomb-cut", b"\0" + zero_bomb(1, 16 << 20))
write(f"{reg}/fuzz_model/huge-finite-weights", b"\3" + dpm(3, 4, 2, weight=1e30))
write(f"{seed}/fuzz_npz/stored", b"\1" + npz(3, 4, 2, 0))
write(f"{seed}/fuzz_npz/deflated", b"\0" + npz(3, 4, 2, 8))
write(f"{seed}/fuzz_npz/file", b"\2" + npz(2, 2, 2, 0))
