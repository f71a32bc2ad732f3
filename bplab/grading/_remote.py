"""The grader's side of a submission: a session with its runner, and function proxies.

A :class:`Session` executes the submission's cells in a runner (:mod:`.sandbox`), remembers
them so that it can rebuild the runner after a kill (a timeout, a crash), and hands out
:class:`RemoteFunction` proxies. A check calls a proxy like the student's function; the
arguments cross as plain data, the call runs in the runner under the check's deadline, and the
answer comes back as plain data. Arguments the function changed in place are changed in place
here too, so a check sees exactly what it would see in the student's own kernel.
"""
from __future__ import annotations

import time

import numpy as np

from bplab.grading._checking import CheckFailed, CheckTimedOut, RemoteError
from bplab.grading._wire import MLPRecord, decode, encode
from bplab.grading.sandbox import Runner, RunnerDied, RunnerTimeout

__all__ = ["Session", "RemoteFunction"]


class RemoteFunction:
    """Stands for the submission's function ``name``; calling it calls it in the runner."""

    _bplab_remote = True

    def __init__(self, session, name):
        self.session, self.__name__ = session, name

    def __call__(self, *args, **kwargs):
        return self.session.call(self.__name__, args, kwargs)

    def call(self, args, kwargs, *, warnings_as_errors=False):
        return self.session.call(self.__name__, args, kwargs,
                                 warnings_as_errors=warnings_as_errors)

    def map(self, arg_lists):
        return self.session.map(self.__name__, arg_lists)

    def __repr__(self):
        return f"<your function {self.__name__}>"


def _write_back(orig, after):
    """Make ``orig`` (what the grader sent) hold ``after`` (what the runner returned)."""
    if isinstance(orig, np.ndarray):
        if isinstance(after, np.ndarray) and after.shape == orig.shape and orig.flags.writeable:
            np.copyto(orig, after, casting="unsafe")
    elif isinstance(orig, list) and isinstance(after, list):
        if len(orig) == len(after):
            for i, (o, a) in enumerate(zip(orig, after)):
                if isinstance(o, np.ndarray) and isinstance(a, np.ndarray) and o.shape == a.shape:
                    _write_back(o, a)
                elif not (isinstance(o, (list, dict)) and type(o) is type(a)):
                    orig[i] = a
                else:
                    _write_back(o, a)
        else:
            orig[:] = after
    elif isinstance(orig, dict) and isinstance(after, dict):
        for k in [k for k in orig if k not in after]:
            del orig[k]
        for k, v in after.items():
            if k in orig and isinstance(orig[k], np.ndarray):
                _write_back(orig[k], v)
            else:
                orig[k] = v
    elif isinstance(after, MLPRecord) and hasattr(orig, "weights") and hasattr(orig, "biases"):
        for mine, theirs in ((orig.weights, after.weights), (orig.biases, after.biases)):
            if isinstance(theirs, list):
                _write_back(mine, theirs)


class Session:
    """One submission's runner, its replayable history, and the deadline of the current check.

    ``timeout`` bounds each cell; :meth:`begin_check` starts a check's budget (all of its
    calls together); ``notebook_deadline`` (a ``time.monotonic`` value) bounds everything.
    """

    def __init__(self, *, timeout, output_limit=10_000, memory_mb=4096, notebook_deadline=None):
        self.timeout, self.output_limit, self.memory_mb = timeout, output_limit, memory_mb
        self.notebook_deadline = notebook_deadline or float("inf")
        self.runner, self.history, self.deadline = None, [], float("inf")
        self.printed, self.isolation, self.restarts, self.warnings = 0, None, 0, []

    # -- the runner ------------------------------------------------------------------------
    def _new_runner(self):
        runner = Runner(memory_mb=self.memory_mb, output_limit=self.output_limit,
                        cpu_seconds=int(min(self._left(), 24 * 3600)) + 60)
        runner.start()
        self.isolation = runner.isolation
        if getattr(runner, "bwrap_error", None):
            self.warnings.append(f"bwrap did not start ({runner.bwrap_error}): this notebook "
                                 f"ran with the weaker process isolation")
        return runner

    def _left(self):
        return max(0.0, self.notebook_deadline - time.monotonic())

    def start(self):
        self.runner = self._new_runner()
        return self

    def close(self):
        if self.runner is not None:
            self._count_output()
            self.runner.kill()
            self.runner = None

    def _count_output(self):
        if self.runner is not None:
            self.printed += self.runner.printed
            self.runner.printed = 0

    def ensure_alive(self):
        """After a kill: a new runner, with every cell that ran before run again (a cell that
        does not repeat itself, timing out or ending the runner this time, is dropped)."""
        while self.runner is None or not self.runner.alive:
            self.close()
            self.restarts += 1
            self.runner = self._new_runner()
            for index, code in list(self.history):
                try:
                    self.runner.request({"op": "exec", "code": code, "cell": index},
                                        min(self.timeout, self._left()))
                except (RunnerTimeout, RunnerDied):
                    self.history.remove((index, code))
                    break

    # -- cells -----------------------------------------------------------------------------
    def exec(self, index, code) -> dict:
        """Run one cell: ``{"status": "ok" | "error" | "timed out" | "died", ...}``."""
        self.ensure_alive()
        limit = min(self.timeout, self._left())
        try:
            reply = self.runner.request({"op": "exec", "code": code, "cell": index}, limit)
        except RunnerTimeout:
            return {"status": "timed out", "seconds": limit}
        except RunnerDied as exc:
            return {"status": "died", "evalue": str(exc)}
        finally:
            self._count_output()
        self.history.append((index, code))
        if reply.get("ok") is True:
            return {"status": "ok"}
        return {"status": "error", "ename": str(reply.get("ename", "Error"))[:100],
                "evalue": str(reply.get("evalue", ""))[:2000]}

    # -- calls -----------------------------------------------------------------------------
    def begin_check(self, seconds):
        self.ensure_alive()
        self.deadline = min(time.monotonic() + seconds, self.notebook_deadline)
        self.budget = seconds

    def function(self, name) -> RemoteFunction:
        return RemoteFunction(self, name)

    def _ask(self, name, message):
        if self.runner is None or not self.runner.alive:
            raise CheckFailed(f"the process running your code had ended before {name}(...) "
                              f"could be called")
        try:
            reply = self.runner.request(message, self.deadline - time.monotonic())
        except RunnerTimeout:
            raise CheckTimedOut(f"{name}(...) did not return within the time limit of "
                                f"{self.budget:g} s: an endless loop? (e.g. a stopping rule "
                                f"that is never met)") from None
        except RunnerDied as exc:
            raise CheckFailed(f"the process running your code ended during {name}(...) "
                              f"({exc}): did your code exit, or use too much memory?") from None
        finally:
            self._count_output()
        if reply.get("missing"):
            raise CheckFailed(f"{name} should be a function; your notebook has "
                              f"{reply.get('type', 'nothing')} under that name. Was its cell "
                              f"deleted, or the name changed?")
        if reply.get("ok") is not True:
            ename, evalue = str(reply.get("ename", "Error")), str(reply.get("evalue", ""))
            if ename == "NotImplementedError":
                raise NotImplementedError(evalue)
            raise RemoteError(name, ename, evalue[:600])
        return reply

    def map(self, name, arg_lists):
        """``[name(*args) for args in arg_lists]``, in one request."""
        reply = self._ask(name, {"op": "map", "name": name,
                                 "calls": [[encode(a) for a in args] for args in arg_lists]})
        try:
            values = [decode(v) for v in reply.get("values", [])]
        except (ValueError, TypeError, KeyError) as exc:
            raise CheckFailed(f"{name}(...) answered something the grader cannot read "
                              f"({exc})") from None
        if len(values) != len(arg_lists):
            raise CheckFailed(f"{name}(...) answered {len(values)} values for "
                              f"{len(arg_lists)} calls")
        return values

    def call(self, name, args, kwargs, *, warnings_as_errors=False):
        """``name(*args, **kwargs)`` in the runner; arguments changed there change here."""
        encoded = []
        probes = [a for a in args if isinstance(getattr(a, "__probe__", None), dict)]
        for a in args:
            if any(a is p for p in probes):
                reads = next((i for i, b in enumerate(args) if b is a.x), None)
                encoded.append({"__probe__": dict(a.__probe__, reads=reads)})
            else:
                encoded.append(encode(a))
        message = {"op": "call", "name": name, "args": encoded,
                   "kwargs": {k: encode(v) for k, v in kwargs.items()},
                   "warnings_as_errors": bool(warnings_as_errors)}
        reply = self._ask(name, message)
        try:
            after = [decode(a) for a in reply.get("args", [])]
            after_kw = {k: decode(v) for k, v in dict(reply.get("kwargs", {})).items()}
            value = decode(reply.get("value"))
        except (ValueError, TypeError, KeyError) as exc:
            raise CheckFailed(f"{name}(...) answered something the grader cannot read "
                              f"({exc})") from None
        for orig, new in zip(args, after):
            _write_back(orig, new)
        for k, new in after_kw.items():
            if k in kwargs:
                _write_back(kwargs[k], new)
        for probe, calls in zip(probes, reply.get("probe_calls", [])):
            probe.calls = int(calls) if isinstance(calls, int) else probe.calls
        return value
