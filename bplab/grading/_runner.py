"""The runner: the one process that holds a submission's code (``python -m ...``).

It runs inside the sandbox (:mod:`bplab.grading.sandbox`), executes the cells the grader
sends with plain ``exec`` in one namespace, and calls the functions the grader names with the
inputs the grader chooses, answering with plain values (:mod:`bplab.grading._wire`). It never
decides anything: the grader compares the values and writes the verdict, so whatever the
submission does to this process can change only the values it answers with.

File descriptors: the requests arrive on fd 0 and the answers leave on fd 1, as the runner
starts; it then moves them aside, points fd 0 at /dev/null and fd 1 at fd 2 (the output
pipe, which the grader drains and counts), so a submission's prints never reach the channel.
"""
from __future__ import annotations

import os
import sys
import traceback
import types
import warnings


def _magic_free(code: str) -> str:
    """IPython's ``%line`` and ``!shell`` lines become ``pass`` (a cell magic skips the cell)."""
    if code.lstrip().startswith("%%"):
        return "pass"
    out = []
    for line in code.splitlines():
        stripped = line.lstrip()
        if stripped.startswith(("%", "!")):
            line = line[:len(line) - len(stripped)] + "pass"
        out.append(line)
    return "\n".join(out)


def _error(exc: BaseException) -> dict:
    text = str(exc)
    if isinstance(exc, SyntaxError):
        text = f"{exc.msg} (line {exc.lineno})"
    return {"ok": False, "ename": type(exc).__name__, "evalue": text[:2000]}


class _PendingProbe:
    def __init__(self, fields):
        self.fields = fields


def _builders():
    import bplab as bp
    from bplab.grading._wire import decode

    def mlp(f):
        net = bp.MLP(f["sizes"], hidden=f["hidden"], output=f["output"], loss=f["loss"])
        return net.set_weights(f["weights"], f["biases"])

    def cache(f):
        try:
            return bp.Cache(a=f["a"], z=f["z"])
        except TypeError:   # a Cache with more fields: the two that matter, by name
            return types.SimpleNamespace(a=f["a"], z=f["z"])

    def probe(f):
        return _PendingProbe({"kind": f["kind"], "A": decode(f["A"]), "reads": f.get("reads")})

    return {"__mlp__": mlp, "__cache__": cache, "__probe__": probe}


def _call(ns, msg, build):
    from bplab.grading._probes import Probe
    from bplab.grading._wire import decode, encode

    fn = ns.get(msg["name"])
    if not callable(fn):
        return {"ok": False, "missing": True,
                "type": "nothing" if msg["name"] not in ns else type(fn).__name__}
    args = [decode(a, build=build) for a in msg.get("args", [])]
    kwargs = {k: decode(v, build=build) for k, v in msg.get("kwargs", {}).items()}
    probes = []
    for i, a in enumerate(args):
        if isinstance(a, _PendingProbe):
            args[i] = Probe(a.fields["kind"], a.fields["A"], args[a.fields["reads"]])
            probes.append(args[i])
    try:
        with warnings.catch_warnings():
            if msg.get("warnings_as_errors"):
                warnings.simplefilter("error")
            value = fn(*args, **kwargs)
    except BaseException as exc:  # the submission's error, reported as data
        return _error(exc)
    out = {"ok": True}
    for key, item in (("value", value), ("args", args), ("kwargs", kwargs)):
        try:
            out[key] = encode(item)
        except Exception as exc:  # e.g. an object whose attributes raise
            out[key] = {"__object__": f"a value that could not be read ({type(exc).__name__})"}
    out["probe_calls"] = [p.calls for p in probes]
    return out


def _map(ns, msg, build):
    """The function ``name`` on each argument list of ``calls``: ``{"values": [...]}``."""
    from bplab.grading._wire import decode, encode

    fn = ns.get(msg["name"])
    if not callable(fn):
        return {"ok": False, "missing": True, "type": type(fn).__name__}
    values = []
    try:
        for args in msg.get("calls", []):
            values.append(encode(fn(*[decode(a, build=build) for a in args])))
    except BaseException as exc:  # the submission's error, reported as data
        return _error(exc)
    return {"ok": True, "values": values}


def main() -> None:
    from bplab.grading._wire import receive, send

    channel_in, channel_out = os.dup(0), os.dup(1)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(2, 1)
    sys.stdout.reconfigure(line_buffering=True)
    import numpy  # noqa: F401  (loaded before the first cell, outside its time limit)
    import bplab  # noqa: F401
    build = _builders()
    ns = {"__name__": "__main__", "__builtins__": __builtins__}
    send(channel_out, {"ready": True})
    while True:
        try:
            msg = receive(channel_in)
        except EOFError:
            return
        if msg.get("op") == "exec":
            try:
                code = compile(_magic_free(msg["code"]), f"<cell {msg.get('cell')}>", "exec")
                exec(code, ns)
                reply = {"ok": True}
            except BaseException as exc:  # the submission's error, reported as data
                reply = _error(exc)
        elif msg.get("op") == "call":
            reply = _call(ns, msg, build)
        elif msg.get("op") == "map":
            reply = _map(ns, msg, build)
        else:
            reply = {"ok": False, "ename": "ProtocolError", "evalue": f"unknown op {msg!r}"}
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception:
            pass
        try:
            send(channel_out, reply)
        except (TypeError, ValueError) as exc:   # something in the answer is not plain data
            send(channel_out, {"ok": False, "ename": "TypeError",
                               "evalue": f"the answer could not be sent as plain data ({exc})"})


if __name__ == "__main__":
    try:
        main()
    except Exception:
        traceback.print_exc()
        sys.exit(1)
