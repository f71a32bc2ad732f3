"""The messages between the grader and the runner that holds a submission's code.

A message is an 8-byte big-endian length followed by that many bytes of UTF-8 JSON. Values
travel as plain data, never pickles:

==========================  ==========================================================
JSON null, bool, int, float  themselves (NaN and ±inf as JSON's ``NaN`` / ``Infinity``)
``{"__nd__": b64, ...}``      a numpy array or scalar: its raw bytes, dtype string and
                              shape (numeric and bool dtypes only; never a pickle)
``{"__tuple__": [...]}``      a tuple; a JSON list is a list
``{"__dict__": [[k, v]]}``    a dict (keys encoded like values)
``{"__cache__": {a, z}}``     a forward cache (``bp.Cache`` or anything with lists a, z)
``{"__mlp__": {...}}``        an MLP's architecture and parameters
``{"__probe__": {...}}``      a test function of the grader's choosing (:mod:`._probes`)
``{"__object__": name}``      anything else: only its type's name crosses
==========================  ==========================================================

Decoding is the receiver's business: the grader decodes caches and networks into plain
records (:class:`CacheRecord`, :class:`MLPRecord`); the runner builds real objects.
"""
from __future__ import annotations

import base64
import json
import os
import struct
from dataclasses import dataclass

import numpy as np

__all__ = ["encode", "decode", "send", "receive", "MessageTooLarge", "Opaque", "CacheRecord",
           "MLPRecord", "HEADER"]

HEADER = struct.Struct(">Q")
MAX_DEPTH = 12


class MessageTooLarge(ValueError):
    """A message longer than the receiver accepts."""


@dataclass(frozen=True)
class Opaque:
    """A value that could not cross the wire: only its type's name did."""
    type_name: str

    def __repr__(self):
        return f"<{self.type_name}>"


@dataclass
class CacheRecord:
    a: list
    z: list


@dataclass
class MLPRecord:
    sizes: list
    hidden: list
    output: str
    loss: str
    weights: list
    biases: list


def _array(value) -> dict:
    arr = np.asarray(value)    # tobytes() is C order whatever the strides
    out = {"__nd__": base64.b64encode(arr.tobytes()).decode("ascii"), "dtype": arr.dtype.str,
           "shape": list(arr.shape)}
    if isinstance(value, np.generic):
        out["scalar"] = True
    return out


def _from_array(data):
    dtype = np.dtype(str(data["dtype"]))
    if dtype.hasobject or dtype.kind not in "biufc":
        raise ValueError(f"refused dtype {dtype}")
    shape = tuple(int(n) for n in data["shape"])
    arr = np.frombuffer(base64.b64decode(data["__nd__"]), dtype=dtype).reshape(shape).copy()
    return arr[()] if data.get("scalar") else arr


def encode(value, depth=0):
    """``value`` as JSON-ready data (see the module docstring)."""
    if depth > MAX_DEPTH:
        return {"__object__": "structure nested too deeply"}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (np.ndarray, np.generic)):
        if value.dtype.kind not in "biufc":
            return {"__object__": f"{type(value).__name__} of dtype {value.dtype}"}
        return _array(value)
    if isinstance(value, tuple):
        return {"__tuple__": [encode(v, depth + 1) for v in value]}
    if isinstance(value, list):
        return [encode(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {"__dict__": [[encode(k, depth + 1), encode(v, depth + 1)]
                             for k, v in value.items()]}
    if isinstance(value, (CacheRecord, MLPRecord)):
        tag = "__cache__" if isinstance(value, CacheRecord) else "__mlp__"
        return {tag: {k: encode(v, depth + 1) for k, v in vars(value).items()}}
    if type(value).__name__ == "MLP" and hasattr(value, "weights") and hasattr(value, "sizes"):
        return {"__mlp__": {"sizes": list(value.sizes), "hidden": list(value.hidden),
                            "output": value.output, "loss": value.loss_name,
                            "weights": encode(list(value.weights), depth + 1),
                            "biases": encode(list(value.biases), depth + 1)}}
    a, z = getattr(value, "a", None), getattr(value, "z", None)
    if isinstance(a, list) and isinstance(z, list):
        return {"__cache__": {"a": encode(a, depth + 1), "z": encode(z, depth + 1)}}
    probe = getattr(value, "__probe__", None)
    if isinstance(probe, dict):
        return {"__probe__": probe}
    return {"__object__": type(value).__name__}


def decode(data, depth=0, *, build=None):
    """The value ``data`` encodes. ``build`` (the runner's) maps ``"__cache__"``,
    ``"__mlp__"`` and ``"__probe__"`` to constructors; without it they become records."""
    if depth > MAX_DEPTH + 1:      # one more than encode() writes: its "too deep" marker
        raise ValueError("structure nested too deeply")
    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    if isinstance(data, list):
        return [decode(v, depth + 1, build=build) for v in data]
    if not isinstance(data, dict) or len(data) == 0:
        raise ValueError(f"not an encoded value: {type(data).__name__}")
    if "__nd__" in data:
        return _from_array(data)
    if "__tuple__" in data:
        return tuple(decode(v, depth + 1, build=build) for v in data["__tuple__"])
    if "__dict__" in data:
        out = {}
        for k, v in data["__dict__"]:
            key = decode(k, depth + 1, build=build)
            out[key if isinstance(key, (str, int, float, bool, tuple)) or key is None
                else repr(key)] = decode(v, depth + 1, build=build)
        return out
    if "__object__" in data:
        return Opaque(str(data["__object__"])[:100])
    for tag in ("__cache__", "__mlp__", "__probe__"):
        if tag in data:
            fields = data[tag]
            if tag != "__probe__":
                fields = {str(k): decode(v, depth + 1, build=build) for k, v in fields.items()}
            if build is not None and tag in build:
                return build[tag](fields)
            if tag == "__cache__":
                return CacheRecord(fields.get("a"), fields.get("z"))
            if tag == "__mlp__":
                return MLPRecord(**{k: fields.get(k) for k in
                                    ("sizes", "hidden", "output", "loss", "weights", "biases")})
            return Opaque("probe")
    raise ValueError(f"unknown encoding {sorted(data)[:3]}")


def send(fd: int, message: dict) -> None:
    """Write one message to the file descriptor ``fd``."""
    body = json.dumps(message, allow_nan=True).encode("utf-8")
    data = HEADER.pack(len(body)) + body
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _read_exactly(fd: int, n: int) -> bytes:
    chunks, left = [], n
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError("the other side closed the pipe")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def receive(fd: int, max_bytes: int = 1 << 26) -> dict:
    """Read one message from ``fd`` (blocking; the runner's side)."""
    (n,) = HEADER.unpack(_read_exactly(fd, HEADER.size))
    if n > max_bytes:
        raise MessageTooLarge(f"a message of {n} bytes (at most {max_bytes})")
    return json.loads(_read_exactly(fd, n).decode("utf-8"))
