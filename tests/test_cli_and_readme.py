"""The command line's shared parts, and the README's promises."""
import re
import subprocess
import sys
from pathlib import Path

import bplab as bp
from bplab import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def test_info_reports_version(capsys):
    assert cli.main(["info"]) == 0
    assert f"bplab {bp.__version__}" in capsys.readouterr().out


def test_no_command_prints_help_and_fails(capsys):
    assert cli.main([]) == 2
    assert "COMMAND" in capsys.readouterr().out


def test_console_script_is_installed():
    exe = Path(sys.executable).with_name("bplab")
    out = subprocess.run([str(exe), "info"], capture_output=True, text=True, check=True).stdout
    assert out.startswith("bplab ")


def test_readme_commands_are_make_targets():
    targets = set(re.findall(r"^([a-z]+):", (ROOT / "Makefile").read_text(), re.M))
    used = set(re.findall(r"^make ([a-z]+)", README, re.M))
    assert {"book", "test", "lab", "execute"} <= used
    assert used <= targets, f"README uses targets the Makefile lacks: {used - targets}"


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    assert "make test" in README and "make book" in README


def test_readme_python_example_runs():
    code = re.search(r"## The package in three lines\n\n```python\n(.*?)```", README, re.S)[1]
    namespace = {}
    exec(compile(code, "README.md", "exec"), namespace)
    history = namespace["history"]
    assert history.epochs == 4000 and history.final_loss < history.loss[0] / 10
