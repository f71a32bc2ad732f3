"""The website's exercise notebooks, as readers download them: without hidden tests.

The page's download button serves ``_sources/<page>.ipynb``, which Sphinx copies from the
book's source: for the exercise notebooks that is the instructor's version, hidden tests
included. At the end of an HTML build this extension overwrites each of those copies with
the public version (:func:`bplab.grading.notebook.public_version`): hidden tests removed,
solutions kept for self-study (collapsed on the page, as in the source). The graded
solutions of a course stay private only in a private source repository (see the instructors'
page, book/exercises/instructors.md).
"""
from __future__ import annotations

from pathlib import Path

from sphinx.util import logging

logger = logging.getLogger(__name__)

PREFIX = "book/exercises/"


def published_copies(outdir: Path, docname: str) -> list:
    """The files under ``_sources/`` that the download button of ``docname`` may serve."""
    base = outdir / "_sources" / docname
    return [p for p in (base.with_name(base.name + ".ipynb"),
                        base.with_name(base.name + ".ipynb.txt")) if p.is_file()]


def publish_student_versions(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    import nbformat

    from bplab.grading.notebook import public_version

    outdir, count = Path(app.outdir), 0
    for docname in sorted(app.env.found_docs):
        source = Path(app.env.doc2path(docname))
        if not docname.startswith(PREFIX) or source.suffix != ".ipynb":
            continue
        public = public_version(nbformat.read(source, as_version=4))
        for target in published_copies(outdir, docname):
            nbformat.write(public, target)
            count += 1
    logger.info(f"bplab_exercises: {count} downloadable exercise notebooks without hidden tests")


def setup(app):
    app.connect("build-finished", publish_student_versions)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
