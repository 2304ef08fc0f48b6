#!/usr/bin/python3
"""A small safetensors reader/writer for PyTorch tensors (the `safetensors` package is not on Debian).

Run with Debian's interpreter (/usr/bin/python3, PyTorch 1.13). Format: 8-byte little-endian header
length N, N bytes of JSON ({"__metadata__": {...}, "name": {"dtype", "shape", "data_offsets"}, ...},
padded with spaces to a multiple of 8), then each tensor's raw little-endian bytes.

The writer lays tensors out in dict order and writes compact JSON exactly as Wick's C++ writer does,
so both produce identical bytes for the same state dict. (The reference `safetensors` package orders
tensors by dtype and name instead; readers accept either.) Not here: memory mapping, lazy loading.

    python3 tools/safetensors_io.py FILE...   # prints each tensor's dtype and shape, and the metadata
"""
import json
import struct
import sys

import torch

DTYPES = {
    "F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
    "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8,
    "BOOL": torch.bool,
}
NAMES = {v: k for k, v in DTYPES.items()}
MAX_HEADER = 100_000_000


def tensor_bytes(t):
    t = t.detach().cpu().contiguous()
    if t.numel() == 0:
        return b""
    return t.reshape(-1).view(torch.uint8).numpy().tobytes()


def save(tensors, metadata=None):
    """The file's bytes for an ordered {name: tensor} dict and an optional {str: str} metadata dict."""
    header, chunks, offset = {}, [], 0
    if metadata:
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
            raise ValueError("safetensors metadata must map str to str")
        header["__metadata__"] = dict(sorted(metadata.items()))
    for name, t in tensors.items():
        if name == "__metadata__":
            raise ValueError("'__metadata__' cannot name a tensor")
        data = tensor_bytes(t)
        header[name] = {"dtype": NAMES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(chunks)


def save_file(tensors, path, metadata=None):
    with open(path, "wb") as f:
        f.write(save(tensors, metadata))


def _no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("duplicate key in safetensors header")
    return dict(pairs)


def load(data):
    """(tensors, metadata) from a file's bytes; checks lengths, offsets and coverage."""
    if len(data) < 8:
        raise ValueError("safetensors: shorter than 8 bytes")
    (n,) = struct.unpack("<Q", data[:8])
    if n > MAX_HEADER or 8 + n > len(data):
        raise ValueError("safetensors: bad header length %d" % n)
    header = json.loads(data[8:8 + n].decode("utf-8"), object_pairs_hook=_no_duplicates)
    metadata = header.pop("__metadata__", {}) or {}
    body = memoryview(data)[8 + n:]
    tensors, spans = {}, []
    for name, info in header.items():
        dtype, shape = DTYPES[info["dtype"]], list(info["shape"])
        begin, end = info["data_offsets"]
        numel = 1
        for d in shape:
            numel *= d
        if end - begin != numel * torch.empty((), dtype=dtype).element_size() or end > len(body):
            raise ValueError("safetensors: bad data_offsets for %r" % name)
        spans.append((begin, end))
        if numel == 0:
            tensors[name] = torch.empty(shape, dtype=dtype)
        else:
            tensors[name] = torch.frombuffer(bytearray(body[begin:end]), dtype=dtype).reshape(shape)
    cursor = 0
    for begin, end in sorted(spans):
        if begin != cursor:
            raise ValueError("safetensors: tensors overlap or leave a gap at byte %d" % begin)
        cursor = end
    if cursor != len(body):
        raise ValueError("safetensors: data not fully covered")
    return tensors, metadata


def load_file(path):
    with open(path, "rb") as f:
        return load(f.read())[0]


def load_metadata(path):
    with open(path, "rb") as f:
        return load(f.read())[1]


if __name__ == "__main__":
    for p in sys.argv[1:]:
        with open(p, "rb") as f:
            ts, meta = load(f.read())
        print(p, "metadata:", meta)
        for k, v in ts.items():
            print("  %s %s %s" % (k, NAMES[v.dtype], list(v.shape)))
