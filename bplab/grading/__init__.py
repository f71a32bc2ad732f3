"""Graded exercises: the checks the notebooks call, ``bplab release`` and ``bplab grade``.

* :mod:`bplab.grading.checks` — one check per exercise (random inputs, fresh seeds);
* :mod:`bplab.grading.notebook` — the solution / hidden-test markers and cell metadata;
* :func:`release` — student versions (solutions stubbed, hidden tests removed) and a CI
  workflow that grades them on every push;
* :func:`grade_notebook` — run a submission's code in a sandboxed runner
  (:mod:`bplab.grading.sandbox`) and grade each exercise in the grader's own process;
* :mod:`bplab.grading.report` — table, JSON, JUnit XML and Markdown summary.
"""
from bplab.grading.grade import ExerciseResult, NotebookResult, grade_notebook
from bplab.grading.release import release, workflow

__all__ = ["grade_notebook", "ExerciseResult", "NotebookResult", "release", "workflow"]
