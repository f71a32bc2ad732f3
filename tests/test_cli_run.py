"""``bplab run``: every example through the command line, its JSON schema, exit codes."""
import json
import subprocess
import sys
import types
from pathlib import Path

import pytest

from bplab import examples
from bplab.cli import main

NAMES = ["sine", "net222", "perceptron", "nielsen", "xor"]
FAST = {"nielsen": ["--steps", "2"], "xor": ["--steps", "2000"]}


def strict_json(text):
    def no_constants(name):
        raise ValueError(f"not JSON: {name}")
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one JSON line, got {len(lines)}"
    out = json.loads(lines[0], parse_constant=no_constants)
    assert isinstance(out, dict)
    return out


def check_schema(out, name, variant):
    assert out["example"] == name and out["variant"] == variant
    assert isinstance(out["losses"], list)
    assert all(isinstance(v, (int, float)) for v in out["losses"])
    assert "recorded_every" in out
    assert out["error"] is None or (isinstance(out["error"], dict)
                                    and {"type", "message"} <= set(out["error"]))
    assert isinstance(out["result"], dict) and out["result"]


def test_registry_names_and_unknown_name():
    assert sorted(examples.EXAMPLES) == sorted(NAMES)
    with pytest.raises(ValueError, match="Expected one of net222, nielsen, perceptron"):
        examples.get("mnist")


@pytest.mark.parametrize("variant", ["original", "fixed"])
@pytest.mark.parametrize("name", NAMES)
def test_json_schema_in_process(name, variant, capsys):
    code = main(["run", name, "--variant", variant, "--json", *FAST.get(name, [])])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    check_schema(strict_json(captured.out), name, variant)


def test_nielsen_original_fails_as_the_document_and_exits_0(capsys):
    assert main(["run", "nielsen", "--variant", "original", "--json"]) == 0
    out = strict_json(capsys.readouterr().out)
    assert out["error"]["type"] == "ValueError" and "broadcast" in out["error"]["message"]
    assert main(["run", "nielsen", "--variant", "original"]) == 0
    text = capsys.readouterr().out
    assert "FAILED, as the document's code does: ValueError" in text


def test_summary_is_readable(capsys):
    assert main(["run", "xor", "--steps", "3000", "--lr", "0.5", "--seed", "4"]) == 0
    text = capsys.readouterr().out
    assert "example xor, variant fixed, seed 4" in text
    assert "lr=0.5" in text and "steps=3000" in text and "loss: 3 recorded" in text


def test_subprocess_module_and_console_script():
    proc = subprocess.run([sys.executable, "-m", "bplab.cli", "run", "xor", "--json",
                           "--steps", "1000", "--sizes", "2,3,1"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    out = strict_json(proc.stdout)
    check_schema(out, "xor", "fixed")
    assert out["options"]["sizes"] == [2, 3, 1]
    script = Path(sys.executable).parent / "bplab"
    if not script.exists():
        pytest.skip("the bplab console script is not installed next to this Python")
    proc = subprocess.run([str(script), "run", "nielsen", "--variant", "original", "--json"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert strict_json(proc.stdout)["error"]["type"] == "ValueError"


@pytest.fixture
def fake_example(monkeypatch):
    """An example that takes only --lr, to test options that do not apply."""
    module = types.ModuleType("bplab_fake_example")
    module.NAME, module.TITLE, module.SOURCE = "fake", "Fake", "a test"
    module.OPTIONS = {"lr": 0.1}
    module.run = lambda variant="fixed", *, seed=0, **options: {
        "example": "fake", "variant": variant, "losses": [1.0], "recorded_every": 1,
        "error": None, "result": {"options": options}}
    monkeypatch.setitem(sys.modules, "bplab_fake_example", module)
    monkeypatch.setitem(examples.EXAMPLES, "fake", "bplab_fake_example")
    return module


def test_option_that_does_not_apply_is_exit_2(fake_example, capsys):
    assert main(["run", "fake", "--sizes", "1,2,1"]) == 2
    assert "--sizes does not apply to the 'fake' example (it takes: --lr)" in \
        capsys.readouterr().err
    assert main(["run", "fake", "--lr", "0.3", "--json"]) == 0
    assert strict_json(capsys.readouterr().out)["result"]["options"] == {"lr": 0.3}


@pytest.mark.parametrize("argv", [
    ["run", "mnist"],
    ["run", "xor", "--variant", "buggy"],
    ["run", "xor", "--sizes", "2,a,1"],
    ["run", "xor", "--steps", "many"],
    ["run"],
])
def test_usage_errors_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert "usage: bplab run" in capsys.readouterr().err


def test_bad_value_is_exit_2_with_the_examples_message(capsys):
    assert main(["run", "xor", "--sizes", "2,4,4,1"]) == 2
    assert "sizes for XOR must be [2, n_hidden, 1]" in capsys.readouterr().err
    assert main(["run", "nielsen", "--lr", "-3"]) == 2
    assert "lr must be a positive finite number; got -3.0" in capsys.readouterr().err
