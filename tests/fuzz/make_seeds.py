#!/usr/bin/env python3
"""Write small valid seed inputs for the fuzz targets into DIR/<target>/.

Usage: python3 tests/fuzz/make_seeds.py DIR
The .dpm writer here follows docs/model-format.md independently of the C
code, so a seed that the library rejects points at a disagreement."""
import gzip
import os
import struct
import sys
import zlib


def idx_images(n):
    body = bytes((i * 31 + p * 7) & 255 for i in range(n) for p in range(784))
    return struct.pack(">IIII", 0x803, n, 28, 28) + body


def idx_labels(n):
    return struct.pack(">II", 0x801, n) + bytes(i * 3 % 10 for i in range(n))


def dpm(n_in, n_hid, n_out):
    head = b"DPM1\r\n\x1a\n" + struct.pack("<III", 1, 204, 2)
    head += struct.pack("<6I", n_in, n_hid, 1, n_hid, n_out, 2)
    head += struct.pack("<IQfQq", 3, 1000, 0.5, 42, 1700000000)
    head += b"seed model".ljust(128, b"\0")
    assert len(head) == 204
    n = n_in * n_hid + n_hid + n_hid * n_out + n_out
    body = head + struct.pack("<%df" % n, *[(i % 7 - 3) / 8 for i in range(n)])
    return body + struct.pack("<I", zlib.crc32(body))


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
write(f"{out}/fuzz_idx/images1", idx_images(1))
write(f"{out}/fuzz_idx/labels5", idx_labels(5))
write(f"{out}/fuzz_idx_file/gz1", b"\0" + gzip.compress(idx_images(1)))
write(f"{out}/fuzz_idx_file/raw2", b"\1" + idx_images(2))
write(f"{out}/fuzz_model/plain", b"\0" + dpm(3, 4, 2))
write(f"{out}/fuzz_model/file", b"\2" + dpm(2, 3, 2))
write(f"{out}/fuzz_npz/stored", b"\1" + npz(3, 4, 2, 0))
write(f"{out}/fuzz_npz/deflated", b"\0" + npz(3, 4, 2, 8))
write(f"{out}/fuzz_npz/file", b"\2" + npz(2, 2, 2, 0))
