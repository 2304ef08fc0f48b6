#!/usr/bin/python3
"""Writes tests/data/tiny-fashion-mnist/: the first 256 training and 128 test images of Debian's
Fashion-MNIST (dataset-fashion-mnist) as gzipped IDX files with the original names, so CI can
smoke-test wick-train and the IDX reader on real data without the 30 MB package."""
import gzip
import pathlib
import struct

SRC = pathlib.Path("/usr/share/datasets/fashion-mnist")
DST = pathlib.Path(__file__).resolve().parent.parent / "tests" / "data" / "tiny-fashion-mnist"


def cut(name, count):
    raw = gzip.open(SRC / name).read()
    magic, n = struct.unpack(">II", raw[:8])
    dims = (magic & 0xFF)
    header = 4 + 4 * dims
    sizes = struct.unpack(">" + "I" * dims, raw[4:header])
    item = 1
    for s in sizes[1:]:
        item *= s
    out = struct.pack(">I", magic) + struct.pack(">I", count) + raw[8:header] + raw[header:header + count * item]
    # mtime=0: the same bytes on every run.
    with open(DST / name, "wb") as f:
        f.write(gzip.compress(out, mtime=0))


DST.mkdir(parents=True, exist_ok=True)
cut("train-images-idx3-ubyte.gz", 256)
cut("train-labels-idx1-ubyte.gz", 256)
cut("t10k-images-idx3-ubyte.gz", 128)
cut("t10k-labels-idx1-ubyte.gz", 128)
print("wrote", DST)
