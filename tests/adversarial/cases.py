'''Adversarial submissions: tricks that try to get marks without the work.

Each case is the code of one cell that a student adds to the released (unsolved) version of
01_sigmoid.ipynb, right after its imports. Graded with the instructor's source, every case
must score 0. The first ten are the tricks of the issue that opened this suite; the rest
are our own. Placeholders filled by the test: @SOURCE@ (the instructor's notebook, an
absolute path), @REPORT@ (the JSON report the grader will write), @HOME@ (the grader's HOME),
@SITE@ (the grader's site-packages folder),
@SOURCE_DIR@ (the sources' folder) and @OTHERS@ (the folder of the other submissions).
'''

# Prints nothing the grader trusts and defines the solution from bplab, if it ever could run.
_WIN = "sigmoid, sigmoid_prime = bp.sigmoid, bp.sigmoid_prime"

CASES = {
    # -- the tricks quoted in the issue --------------------------------------------------
    "rebind_checks": '''
class _Pass:
    def __getattr__(self, name):
        return lambda *args, **kwargs: print("✓ stable-sigmoid: all 11 checks passed")
checks = _Pass()
''',
    "set_custom_exc": '''
get_ipython().set_custom_exc((BaseException,), lambda *args, **kwargs: None)
''',
    "input_transformer": '''
get_ipython().input_transformers_post.append(lambda lines: ["pass\\n"])
''',
    "thread_repatches_checks": '''
import threading, time
import bplab.grading.checks as _c
def _repatch():
    while True:
        for _name in dir(_c):
            if _name.startswith("check_"):
                setattr(_c, _name, lambda *args, **kwargs: None)
        time.sleep(0.001)
threading.Thread(target=_repatch, daemon=True).start()
''',
    "planted_startup_file": '''
import os
_win = "import bplab as bp\\n" + "''' + _WIN + '''" + "\\n"
for _home in (os.path.expanduser("~"), "@HOME@"):
    for _dir in (os.path.join(_home, ".ipython", "profile_default", "startup"),):
        try:
            os.makedirs(_dir, exist_ok=True)
            open(os.path.join(_dir, "00-win.py"), "w").write(_win)
        except OSError:
            pass
''',
    "rewrite_source_notebook": '''
import json
try:
    _nb = json.load(open("@SOURCE@"))
    for _cell in _nb["cells"]:
        if _cell.get("metadata", {}).get("bplab", {}).get("role") in ("check", "hidden"):
            _cell["source"] = "pass"
    json.dump(_nb, open("@SOURCE@", "w"))
except OSError:
    pass
''',
    "read_grader_command_line": '''
import glob, json, re
for _path in glob.glob("/proc/*/cmdline"):
    try:
        _args = open(_path, "rb").read().split(b"\\0")
    except OSError:
        continue
    for _arg in _args:
        if _arg.endswith(b".ipynb"):
            try:
                _nb = json.load(open(_arg.decode()))
            except OSError:
                continue
            for _cell in _nb["cells"]:
                if _cell.get("metadata", {}).get("bplab", {}).get("role") == "solution":
                    _code = "".join(_cell["source"])
                    exec(_code.replace("### BEGIN SOLUTION", "").replace("### END SOLUTION", ""))
''',
    "rewrite_report_after_exit": '''
import os, time, json
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(4)
        try:
            json.dump({"passed": 11, "total": 11, "notebooks": []}, open("@REPORT@", "w"))
        except OSError:
            pass
    os._exit(0)
''',
    "ignore_sigint_and_stall": '''
import signal
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
while True:
    pass
''',
    # (submitting only one notebook: tests/test_grading_adversarial.py, its own test)
    # -- our own -------------------------------------------------------------------------
    "forge_answers_on_the_channel": '''
import os, json, struct
for _fd in range(3, 64):
    try:
        _body = json.dumps({"ok": True, "value": 0.5}).encode()
        os.write(_fd, struct.pack(">Q", len(_body)) + _body)
    except OSError:
        pass
''',
    "forge_a_bottomless_answer": '''
import os, struct
_body = b"[" * 200_000 + b"]" * 200_000
for _fd in range(3, 64):
    try:
        os.write(_fd, struct.pack(">Q", len(_body)) + _body)
    except OSError:
        pass
''',
    "kill_every_process": '''
import os, signal
os.kill(-1, signal.SIGKILL)
''',
    "pth_file_in_site_packages": '''
import site
for _dir in set(site.getsitepackages() + ["@SITE@"]):
    try:
        open(_dir + "/zz_bplab_win.pth", "w").write(
            "import builtins; builtins.sigmoid = None\\n")
    except OSError:
        pass
''',
    "monkeypatch_numpy_comparisons": '''
np.allclose = lambda *args, **kwargs: True
np.array_equal = lambda *args, **kwargs: True
np.testing.assert_allclose = lambda *args, **kwargs: None
import bplab.gradcheck
bplab.gradcheck.relative_error = lambda *args, **kwargs: 0.0
bp.relative_error = bplab.gradcheck.relative_error
''',
    "print_the_pass_line": '''
for _ in range(3):
    print("✓ stable-sigmoid: all 11 checks passed")
''',
    "exit_the_process": '''
import sys
sys.exit(0)
''',
    "exhaust_memory": '''
_hog = bytearray(64 << 30)
''',
    "return_objects_that_lie": '''
class _Liar(np.ndarray):
    def __eq__(self, other): return True
    def __sub__(self, other): return np.zeros(np.shape(other))
    __rsub__ = __sub__
class _Anything:
    def __array__(self, *args, **kwargs): raise RuntimeError("gotcha")
    def __getattr__(self, name): return self
def sigmoid(z):
    return _Anything()
def sigmoid_prime(z):
    return np.zeros(np.shape(z)).view(_Liar)
''',
    "answer_too_large_to_read": '''
def sigmoid(z):
    return np.zeros(6_000_000)      # 48 MB of float64, past the grader's 32 MB answer cap
sigmoid_prime = sigmoid
''',
    "read_other_submissions": '''
import glob, json
_where = ["@SOURCE_DIR@/**/*.ipynb", "@OTHERS@/**/*.ipynb", "/tmp/**/*.ipynb"]
for _path in [p for pattern in _where for p in glob.glob(pattern, recursive=True)]:
    try:
        _nb = json.load(open(_path))
    except (OSError, ValueError):
        continue
    for _cell in _nb.get("cells", []):
        if _cell.get("metadata", {}).get("bplab", {}).get("role") == "solution":
            _code = "".join(_cell["source"])
            if "BEGIN SOLUTION" in _code and "def sigmoid" in _code:
                exec(_code.replace("### BEGIN SOLUTION", "").replace("### END SOLUTION", ""))
''',
}
