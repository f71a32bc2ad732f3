"""The workflow files for other CI services cannot run here; what they call can. Each
`run:` step must be a command this repository has: a Makefile target or a `bplab`
subcommand, which the rest of the suite exercises (make book before every test run; the
grader's commands in tests/test_grading*.py)."""
import re
import shlex
from pathlib import Path

import pytest
import yaml

from bplab.cli import COMMANDS

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
TARGETS = set(re.findall(r"^([a-z]+):", (ROOT / "Makefile").read_text(), re.M))


def run_steps(path):
    doc = yaml.safe_load(path.read_text())
    assert doc.get("jobs"), f"{path.name}: no jobs"
    for job in doc["jobs"].values():
        for step in job.get("steps", []):
            if "run" in step:
                yield step["run"]


def test_there_are_workflows_to_publish_the_site_and_check_the_exercises():
    names = {p.stem for p in WORKFLOWS}
    assert {"publish", "exercises"} <= names


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_run_step_calls_a_command_of_this_repository(path):
    for script in run_steps(path):
        for line in filter(None, (l.strip() for l in script.splitlines())):
            words = shlex.split(line)
            if words[0] == "make":
                assert set(words[1:]) <= TARGETS, f"{path.name}: unknown target in {line!r}"
            elif words[:3] == ["python", "-m", "bplab.cli"] or words[0] == "bplab":
                sub = words[3] if words[0] == "python" else words[1]
                assert sub in COMMANDS, f"{path.name}: no bplab subcommand {sub!r}"
            elif words[:3] == ["python", "-m", "pip"]:
                assert "-e" in words or "bplab" in line, line
            elif words[:3] == ["python", "-m", "pytest"]:
                for test_file in (w for w in words if w.startswith("tests/")):
                    assert (ROOT / test_file).exists(), f"{path.name}: {test_file} missing"
            else:
                pytest.fail(f"{path.name}: a step this suite does not know: {line!r}")


def test_publish_builds_with_the_readme_command_and_uploads_its_output():
    steps = list(run_steps(ROOT / ".github" / "workflows" / "publish.yml"))
    assert steps == ["make book"]
    assert "path: _build/html" in (ROOT / ".github" / "workflows" / "publish.yml").read_text()
