"""Reading code without running it: check cells as specifications, and library use.

A check cell is never executed by the grader. It is read as a specification: each line must
be a call ``checks.check_<name>(<function names>..., <keyword>=<literal>...)`` of a check in
:mod:`bplab.grading.checks`; the grader runs that check in its own process, on proxies of the
named functions (:func:`parse_check_cell`).

:func:`library_use` reads a solution's syntax tree for calls of bplab's own reference
implementations of what the exercise asks (``bp.sigmoid`` in the sigmoid exercise,
``bp.train`` in the training loop, ...) and for dynamic code that a reading cannot follow
(``exec``, ``getattr(bp, ...)``, ``__import__``).
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field

__all__ = ["CheckSpec", "SpecError", "parse_check_cell", "library_use", "ANSWERS"]


class SpecError(ValueError):
    """A check cell that is not a list of calls of bplab's checks."""


@dataclass
class CheckSpec:
    check: str                       # e.g. "check_sigmoid"
    functions: list                  # names of the submission's functions, in order
    kwargs: dict = field(default_factory=dict)

    def describe(self) -> str:
        args = [*self.functions, *(f"{k}={v!r}" for k, v in self.kwargs.items())]
        return f"checks.{self.check}({', '.join(args)})"


def _code_lines(source: str) -> str:
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                     for line in source.splitlines())


def parse_check_cell(source: str, known) -> list:
    """The :class:`CheckSpec` of each call in a check cell; ``known`` names the checks."""
    try:
        tree = ast.parse(_code_lines(source))
    except SyntaxError as exc:
        raise SpecError(f"the check cell does not parse ({exc.msg}, line {exc.lineno})") \
            from None
    specs = []
    for node in tree.body:
        call = node.value if isinstance(node, ast.Expr) else None
        if not isinstance(call, ast.Call):
            raise SpecError(f"line {node.lineno} of the check cell is not a call of a check")
        f = call.func
        name = (f.attr if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name)
                and f.value.id == "checks" else f.id if isinstance(f, ast.Name) else None)
        if name not in known:
            raise SpecError(f"line {node.lineno} calls {ast.unparse(f)}, which is not one of "
                            f"bplab's checks")
        if not all(isinstance(a, ast.Name) for a in call.args):
            raise SpecError(f"line {node.lineno}: a check's arguments must be the names of "
                            f"your functions")
        try:
            kwargs = {k.arg: ast.literal_eval(k.value) for k in call.keywords}
        except ValueError:
            raise SpecError(f"line {node.lineno}: a check's options must be literals") from None
        if None in kwargs:
            raise SpecError(f"line {node.lineno}: **options are not allowed in a check cell")
        specs.append(CheckSpec(name, [a.id for a in call.args], kwargs))
    return specs


# What each check asks the student to write, as bplab names that already compute it.
_NETWORKS = ("bplab.MLP", "bplab.network", "bplab.layers", "bplab.autodiff", "bplab.examples",
             "bplab.train", "bplab.numerical_gradient", "bplab.gradcheck")
ANSWERS = {
    "check_sigmoid": ("bplab.sigmoid", "bplab.sigmoid_prime", "bplab.activations",
                      "bplab.autodiff", "bplab.layers", "bplab.examples"),
    "check_net222": _NETWORKS,
    "check_dense_forward": ("bplab.MLP", "bplab.network", "bplab.layers", "bplab.autodiff"),
    "check_dense_backward": ("bplab.MLP", "bplab.network", "bplab.layers", "bplab.autodiff",
                             "bplab.numerical_gradient", "bplab.gradcheck"),
    "check_mlp_backward": _NETWORKS,
    "check_forward": _NETWORKS,
    "check_backprop_nielsen": _NETWORKS + ("bplab.sigmoid", "bplab.activations"),
    "check_numerical_gradient": ("bplab.numerical_gradient", "bplab.gradcheck",
                                 "bplab.autodiff"),
    "check_minibatch_gd": ("bplab.train", "bplab.optim"),
    "check_perceptron": ("bplab.examples", "bplab.train"),
    "check_defect": ("bplab.grading._references_zoo", "bplab.grading.checks_zoo"),
    "check_zoo_fix": _NETWORKS + ("bplab.grading._references_zoo", "bplab.grading.checks_zoo"),
}
# Exercises 7 and 8 (checks_ex1). Names outside bplab (torch, scipy) are flagged when imported
# (their aliases are followed, see _FOREIGN); names that do not exist yet are harmless.
_SHAPES = ("bplab.layers", "bplab.autodiff", "bplab.numerical_gradient", "bplab.gradcheck",
           "torch")
_SOFTMAX = ("bplab.layers", "bplab.losses", "bplab.autodiff", "scipy.special", "torch")
ANSWERS.update({
    "check_broadcast_add_backward": _SHAPES,
    "check_fanout_backward": _SHAPES,
    "check_logsumexp": _SOFTMAX,
    "check_softmax_ce_backward": _SOFTMAX,
    "check_init_std": ("bplab.health", "bplab.layers", "bplab.network", "bplab.MLP", "torch"),
    "check_clip_grad_norm": ("bplab.optim.clip_grad_norm", "bplab.health.clip_by_global_norm",
                             "torch"),
    "check_adam_step": ("bplab.optim", "torch"),
})
_FOREIGN = ("torch", "scipy")
_ATTENTION = ("bplab.layers", "bplab.autodiff", "torch")
ANSWERS.update(check_masked_softmax_backward=_ATTENTION, check_attention_head_backward=_ATTENTION)
# Every grader-only reference module (bplab.grading._references, _references_<topic>) and the
# probes are refused in every exercise.
_ALWAYS = ("bplab.grading._probes",)
_PRIVATE_PREFIX = "bplab.grading._references"
_PART3 = ("bplab.layers", "bplab.autodiff", "bplab.numerical_gradient", "bplab.gradcheck",
          "torch")
ANSWERS.update({name: _PART3 for name in ("check_batchnorm_backward", "check_layernorm_backward",
                                          "check_conv2d_backward", "check_maxpool_backward")})
_RNN = ("bplab.layers", "bplab.autodiff", "bplab.recurrence", "bplab.numerical_gradient",
        "bplab.gradcheck", "torch")
ANSWERS.update(check_rnn_step_backward=_RNN, check_bptt=_RNN)
_REFERENCES = {"perceptron_reference", "gd_variant", "buggy_hidden_222", "rows_222", "KINDS"}


def _forbidden(path, forbidden) -> bool:
    """Whether the dotted ``path`` is one of bplab's answers (the checks themselves are not)."""
    return any(path == p or path.startswith(p + ".") for p in forbidden) or (
        path.startswith(_PRIVATE_PREFIX)) or (
        path.startswith("bplab.grading.") and path.rsplit(".", 1)[-1] in _REFERENCES)
_DYNAMIC = {"exec", "eval", "compile", "__import__", "globals", "vars"}


def _dotted(node, aliases):
    """``"bplab.x.y"`` for a Name/Attribute chain rooted at a bplab alias, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name) and node.id in aliases:
        return ".".join([aliases[node.id], *reversed(parts)])
    return None


def _aliases(trees) -> dict:
    aliases = {}
    for _ in range(2):   # twice: `s = bp.sigmoid` after `import bplab as bp` in a later cell
        for tree in trees:
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    for a in node.names:
                        if a.name.split(".")[0] in ("bplab", *_FOREIGN):
                            root = a.name.split(".")[0]
                            aliases[a.asname or root] = a.name if a.asname else root
                elif isinstance(node, ast.ImportFrom) and node.module and (
                        node.module.split(".")[0] in ("bplab", *_FOREIGN)):
                    for a in node.names:
                        aliases[a.asname or a.name] = f"{node.module}.{a.name}"
                elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(
                        node.targets[0], ast.Name):
                    target = _dotted(node.value, aliases)
                    if target:
                        aliases[node.targets[0].id] = target
    return aliases


def library_use(sources, check_names, *, context=()) -> list:
    """Sorted descriptions of the uses of bplab's answers to ``check_names`` in ``sources``.

    ``context`` holds other cells of the notebook whose imports define the aliases (``bp``).
    """
    forbidden = _ALWAYS + tuple(p for c in check_names for p in ANSWERS.get(c, ()))
    trees = []
    for src in sources:
        try:
            trees.append(ast.parse(_code_lines(src)))
        except SyntaxError:
            continue
    others = []
    for src in context:
        try:
            others.append(ast.parse(_code_lines(src)))
        except SyntaxError:
            continue
    aliases = _aliases(others + trees)
    found, matched, covered = set(), [], set()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                         [f"{node.module}.{a.name}" for a in node.names] if node.module else [])
                found |= {f"import of {n}" for n in names if _forbidden(n, forbidden)}
            elif isinstance(node, (ast.Attribute, ast.Name)) and isinstance(
                    getattr(node, "ctx", None), ast.Load):
                path = _dotted(node, aliases)
                if path and _forbidden(path, forbidden):
                    matched.append((node, path))
                    inner = node
                    while isinstance(inner, ast.Attribute):   # report the longest chain only
                        inner = inner.value
                        covered.add(id(inner))
            elif isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else (
                    node.func.attr if isinstance(node.func, ast.Attribute) else "")
                first = node.args[0] if node.args else None
                if name in _DYNAMIC or name == "import_module":
                    found.add(f"{name}(...) (dynamic code the grader cannot read)")
                elif name == "getattr" and first is not None and (
                        _dotted(first, aliases) or "").startswith("bplab"):
                    found.add(f"getattr({ast.unparse(first)}, ...) (dynamic access to bplab)")
    found |= {f"{ast.unparse(n)} ({p})" for n, p in matched if id(n) not in covered}
    return sorted(found)
