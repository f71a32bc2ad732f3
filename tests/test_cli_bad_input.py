"""Issue 11, the command line: ``bplab run`` and ``bplab info`` never print a traceback.

Bad values exit 2 with one ``bplab run: error:`` line; a diverging run exits 1 naming the
learning rate; a run that cannot fit in memory or time is refused at once; a closed pipe
ends quietly.
"""
from __future__ import annotations

import subprocess
import sys
import time

import pytest

from bplab.cli import main


def run_cli(*argv, timeout=60):
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "bplab.cli", *argv], capture_output=True,
                          text=True, timeout=timeout)
    return proc, time.perf_counter() - start


def assert_one_line_error(proc, code, match):
    assert proc.returncode == code, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr and "Warning" not in proc.stderr, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert match in lines[0], lines[0]


def test_a_diverging_run_is_an_error_naming_the_learning_rate():
    proc, _ = run_cli("run", "sine", "--lr", "1e308")
    assert_one_line_error(proc, 1, "training diverged")
    assert "lr=1e+308" in proc.stderr and "use a smaller --lr" in proc.stderr
    assert proc.stdout == ""


def test_a_diverging_run_in_json_mode_prints_no_json(capsys):
    assert main(["run", "sine", "--lr", "1e30", "--steps", "300", "--json"]) == 1
    out = capsys.readouterr()
    assert out.out == "" and "training diverged" in out.err


def test_a_diverging_example_whose_own_check_fires(capsys):
    assert main(["run", "net222", "--lr", "1e308"]) == 1
    assert "training diverged: the weights became NaN or inf with lr=1e+308" in \
        capsys.readouterr().err


@pytest.mark.parametrize("argv, match", [
    (["--steps", "1000000000000"], "steps=1,000,000,000,000 would take at least"),
    (["--sizes", "1,2000000000,1"], "of memory, more than the"),
    (["--sizes", "1,5000,5000,1", "--steps", "4000"], "more than the limit of 1 hour"),
])
def test_impossible_runs_are_refused_at_once(argv, match):
    proc, seconds = run_cli("run", "sine", *argv)
    assert_one_line_error(proc, 2, match)
    assert seconds < 30                     # refused, not attempted


@pytest.mark.parametrize("example", ["xor", "nielsen", "perceptron", "net222"])
def test_impossible_step_counts_for_every_example(example, capsys):
    assert main(["run", example, "--steps", "10000000000000"]) == 2
    assert "would take at least" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["-1", "-5"])
def test_negative_seed(value, capsys):
    with pytest.raises(SystemExit) as info:
        main(["run", "net222", "--seed", value])
    assert info.value.code == 2
    assert "expected a non-negative integer such as 0" in capsys.readouterr().err


@pytest.mark.parametrize("argv, match", [
    (["run", "sine", "--lr", "nan"], "lr must be a positive finite number; got nan"),
    (["run", "sine", "--lr", "inf"], "lr must be a positive finite number; got inf"),
    (["run", "sine", "--lr", "0"], "lr must be a positive finite number; got 0.0"),
    (["run", "sine", "--steps", "0"], "steps must be a positive integer; got 0"),
    (["run", "sine", "--steps", "-4"], "steps must be a positive integer; got -4"),
    (["run", "sine", "--sizes", "2,25,1"], "sizes must list positive integers starting and "
                                           "ending with 1"),
    (["run", "nielsen", "--sizes", "64,0,10"], "expected at least two positive layer sizes"),
])
def test_bad_values_exit_2_with_one_line(argv, match):
    proc, _ = run_cli(*argv)
    assert proc.returncode == 2 and match in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("argv", [["run", "sine", "--sizes", "1,,1"],
                                  ["run", "sine", "--seed", "zero"],
                                  ["run", "sine", "--steps", "1e3"],
                                  ["info", "--verbose"]])
def test_unparseable_values_are_usage_errors(argv, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert "usage: bplab" in capsys.readouterr().err


def test_json_into_a_closed_pipe_is_quiet():
    cmd = (f"{sys.executable} -m bplab.cli run sine --steps 200 --json | head -c 10; "
           f"{sys.executable} -m bplab.cli info | head -c 5")
    proc = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, timeout=60)
    assert proc.stdout.startswith('{"example"')
    assert "BrokenPipe" not in proc.stderr and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr == ""


def test_an_unexpected_failure_is_one_line(monkeypatch, capsys):
    from bplab.examples import sine

    def boom(*args, **kwargs):
        raise KeyError("something internal")
    monkeypatch.setattr(sine, "run", boom)
    assert main(["run", "sine"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == "bplab run: error: the 'sine' example failed: KeyError: " \
                          "'something internal'"


def test_info_runs():
    proc, _ = run_cli("info")
    assert proc.returncode == 0 and proc.stdout.startswith("bplab ")
