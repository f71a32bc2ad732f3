"""Where a submission's code runs: one runner process per notebook, isolated and bounded.

With bubblewrap (``bwrap``, Linux) the runner gets its own mount, PID, network, IPC and user
namespaces: a filesystem built from read-only binds of the Python installation and the bplab
package only (no instructor sources, no other submissions, no reports), a fresh tmpfs as
HOME, working folder and /tmp, no network, and a PID namespace that dies with it (every
process it started is gone when the grader kills it). Without bwrap (macOS, a CI without
user namespaces) the fallback is weaker and says so (:attr:`Runner.isolation`): a separate
process in its own session, with a fresh HOME/working folder/environment and the same
resource limits, but the grader's user's view of the filesystem.

Either way: resource limits (address space, CPU time, file size, processes), a hard wall-clock
deadline on every request (past it the whole process group is killed with SIGKILL), and caps
on what the grader reads (messages at most ``max_message`` bytes; printed output is drained
and counted, never stored beyond ``output_limit`` characters).
"""
from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bplab.grading._wire import HEADER

__all__ = ["Runner", "RunnerTimeout", "RunnerDied", "RunnerProtocolError", "isolation_available"]

_LIB = "/opt/bplab-lib"
_HOME = "/home/student"


class RunnerTimeout(Exception):
    """The runner did not answer before the deadline; it has been killed."""


class RunnerDied(Exception):
    """The runner ended (or broke the channel) while the grader waited for it."""


class RunnerProtocolError(RunnerDied):
    """The runner answered something that is not a message of the grader's protocol."""


def _bwrap():
    if os.environ.get("BPLAB_SANDBOX", "auto") == "process" or not sys.platform.startswith(
            "linux"):
        return None
    return shutil.which("bwrap")


def isolation_available() -> str:
    """``"bwrap"`` if bubblewrap can be used here, else ``"process"`` (the weaker fallback)."""
    return "bwrap" if _bwrap() else "process"


def _python_dirs():
    """The folders the runner's Python needs: the installation and the site-packages."""
    import bplab
    package = Path(bplab.__file__).resolve().parent
    dirs = {Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    for entry in sys.path:
        p = Path(entry or ".").resolve()
        if p.name in ("site-packages", "dist-packages") or str(p).endswith(".zip"):
            dirs.add(p)
    dirs.add(Path(sys.executable).resolve().parent)
    keep = []
    for d in sorted(dirs):
        inside = package.is_relative_to(d) and d.name not in ("site-packages", "dist-packages")
        if d.exists() and d != Path("/") and not inside:    # never the package's parents
            keep.append(d)
    return package, keep


def _bwrap_command(bwrap, argv):
    package, dirs = _python_dirs()
    cmd = [bwrap, "--unshare-all", "--die-with-parent", "--new-session", "--clearenv",
           "--unshare-user", "--uid", "65534", "--gid", "65534"]
    for top in ("usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        p = Path("/") / top
        if p.is_symlink():
            cmd += ["--symlink", os.readlink(p), str(p)]
        elif p.is_dir():
            cmd += ["--ro-bind", str(p), str(p)]
    for etc in ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "fonts", "localtime"):
        if (Path("/etc") / etc).exists():
            cmd += ["--ro-bind", f"/etc/{etc}", f"/etc/{etc}"]
    # fresh, empty /tmp and /home first: the binds below are mounted on top of them, so a
    # Python environment that lives under /tmp or /home (a CI checkout) stays visible
    cmd += ["--tmpfs", "/tmp", "--tmpfs", "/home"]
    for d in dirs:
        covered = any(d != other and d.is_relative_to(other) for other in dirs)
        if not covered and not str(d).startswith(("/usr/", "/bin", "/lib")):
            cmd += ["--ro-bind", str(d), str(d)]
    cmd += ["--ro-bind", str(package), f"{_LIB}/bplab", "--dev", "/dev", "--proc", "/proc",
            "--dir", _HOME, "--chdir", _HOME]
    for key, value in _environment(_HOME, _LIB).items():
        cmd += ["--setenv", key, value]
    return cmd + argv


def _environment(home, lib) -> dict:
    return {"HOME": home, "IPYTHONDIR": f"{home}/.ipython", "MPLCONFIGDIR": f"{home}/.mpl",
            "TMPDIR": "/tmp" if home == _HOME else home, "PYTHONPATH": lib,
            "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0", "MPLBACKEND": "Agg",
            "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
            "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "BPLAB_NO_PROGRESS": "1"}


def _limits(memory_mb, cpu_seconds, file_mb, processes):
    def apply():
        import resource
        for name, value in (("RLIMIT_AS", memory_mb << 20), ("RLIMIT_CPU", cpu_seconds),
                            ("RLIMIT_FSIZE", file_mb << 20), ("RLIMIT_NPROC", processes),
                            ("RLIMIT_CORE", 0)):
            which = getattr(resource, name, None)
            if which is None:
                continue
            soft, hard = resource.getrlimit(which)
            value = value if hard == resource.RLIM_INFINITY else min(value, hard)
            try:
                resource.setrlimit(which, (value, hard))
            except (ValueError, OSError):
                pass
    return apply


class Runner:
    """One runner process: ``start()``, then ``request(message, timeout)``, then ``kill()``."""

    def __init__(self, *, memory_mb=4096, cpu_seconds=3600, output_limit=10_000,
                 max_message=1 << 25, start_timeout=120.0):
        self.memory_mb, self.cpu_seconds = int(memory_mb), int(cpu_seconds)
        self.output_limit, self.max_message = int(output_limit), int(max_message)
        self.start_timeout = float(start_timeout)
        self.proc, self.isolation, self.printed, self._buffer = None, None, 0, b""
        self.bwrap_error = None
        self._tmp = None

    # -- life cycle ------------------------------------------------------------------------
    def start(self):
        argv = [sys.executable, "-s", "-m", "bplab.grading._runner"]
        bwrap = _bwrap()
        if bwrap:
            self._spawn(_bwrap_command(bwrap, argv), cwd="/", env={"PATH": "/usr/bin:/bin"})
            self.isolation = "bwrap"
            try:
                return self._handshake()
            except RunnerDied as exc:
                self.kill()
                self.bwrap_error = str(exc)
        self._tmp = tempfile.mkdtemp(prefix="bplab-grade-")
        home = Path(self._tmp) / "home"
        home.mkdir()
        import bplab
        lib = str(Path(bplab.__file__).resolve().parent.parent)
        env = _environment(str(home), lib)
        env["TMPDIR"] = str(home)
        self._spawn(argv, cwd=str(home), env=env)
        self.isolation = "process"
        return self._handshake()

    def _spawn(self, cmd, *, cwd, env):
        self.printed, self._buffer = 0, b""
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            cwd=cwd, env=env, start_new_session=True, close_fds=True,
            preexec_fn=_limits(self.memory_mb, self.cpu_seconds, 256, 256))

    def _handshake(self):
        try:
            reply = self._read(time.monotonic() + self.start_timeout)
        except RunnerTimeout:
            raise RunnerDied("the runner did not start in time") from None
        if reply != {"ready": True}:
            raise RunnerDied(f"the runner did not start: {reply!r}")
        return self

    def kill(self):
        """SIGKILL the runner's process group (and with bwrap its whole PID namespace)."""
        proc, self.proc = self.proc, None
        if proc is not None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            for stream in (proc.stdin, proc.stdout, proc.stderr):
                try:
                    stream.close()
                except OSError:
                    pass
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    # -- requests --------------------------------------------------------------------------
    def request(self, message: dict, timeout: float) -> dict:
        """Send ``message``, wait at most ``timeout`` seconds for the answer."""
        if self.proc is None:
            raise RunnerDied("the runner is not running")
        body = json.dumps(message, allow_nan=True).encode("utf-8")
        deadline = time.monotonic() + max(0.0, timeout)
        try:
            self.proc.stdin.write(HEADER.pack(len(body)) + body)
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            self.kill()
            raise RunnerDied("the submission's process had ended") from None
        return self._read(deadline)

    def _read(self, deadline):
        out, err = self.proc.stdout.fileno(), self.proc.stderr.fileno()
        watched, want = [out, err], None
        while True:
            if want is None and len(self._buffer) >= HEADER.size:
                (want,) = HEADER.unpack(self._buffer[:HEADER.size])
                if want > self.max_message:
                    self.kill()
                    raise RunnerProtocolError(f"an answer of {want} bytes (the grader reads "
                                              f"at most {self.max_message})")
            if want is not None and len(self._buffer) >= HEADER.size + want:
                body = self._buffer[HEADER.size:HEADER.size + want]
                self._buffer = self._buffer[HEADER.size + want:]
                try:
                    reply = json.loads(body.decode("utf-8"))
                    if not isinstance(reply, dict):
                        raise ValueError("not an object")
                    return reply
                except (ValueError, RecursionError) as exc:   # e.g. nested 100 000 deep
                    self.kill()
                    raise RunnerProtocolError(f"an answer the grader cannot read "
                                              f"({type(exc).__name__})") from None
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill()
                raise RunnerTimeout()
            ready, _, _ = select.select(watched, [], [], min(left, 1.0))
            if err in ready:
                chunk = os.read(err, 1 << 16)   # drained and counted, never kept
                self.printed += len(chunk)
                if not chunk:
                    watched = [out]
            if out in ready:
                chunk = os.read(out, 1 << 20)
                if not chunk:
                    self.kill()
                    raise RunnerDied("the submission's process ended")
                self._buffer += chunk
