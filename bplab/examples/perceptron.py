r"""Source document 002: one step-function unit on four points, "trained by backpropagation".

The unit predicts :math:`\hat t_i = 1` if :math:`v_i = w \cdot x_i + b > 0`, else 0. The
document's loss and update are the batch *perceptron rule*,

.. math::

    \ell(w, b) = -\frac14 \sum_i (t_i - \hat t_i)\, v_i, \qquad
    w \leftarrow w + \eta\,\frac14 \sum_i (t_i - \hat t_i)\, x_i, \qquad
    b \leftarrow b + \eta\,\frac14 \sum_i (t_i - \hat t_i),

repeated ``while loss != 0`` with :math:`\eta = 0.9` from :math:`w = (1, 1)`, :math:`b = 0`.
It is not backpropagation: the chain rule through the step gives
:math:`\partial \hat t/\partial v = 0` (:func:`chain_rule_gradient`); the rule works because
it skips that factor.

``run("original")`` runs the document's loop (under a guard, since it need not stop);
``run("fixed")`` stops when no point is misclassified, when the weights return to an earlier
state (a cycle: it can then never converge), or after ``steps`` epochs.
"""
from __future__ import annotations

import numpy as np

import bplab as bp
from bplab import _validation as v
from bplab.examples._common import check_variant, merge_options, summary

NAME = "perceptron"
TITLE = "反向传播算法"
SOURCE = ("“反向传播算法” [The backpropagation algorithm], by kali, blog post on "
          "cnblogs.com (2022)")
OPTIONS = {"lr": 0.9, "steps": 1000}

# The document's globals: samples as rows, as it writes them.
DOC_X = np.array([[1, 1], [-1, 1], [-1, -0.5], [-1, 1.5]])
DOC_T = np.array([0, 1, 0, 1])
DOC_W, DOC_B = np.array([1, 1]), 0

LEDGER = [
    {"id": "boundary-point-counts-zero",
     "quote": "loss = -(np.matmul(t - y_pre, val) / 4)\n...\nwhile loss_result != 0:",
     "symptom": "The loop can stop with a point misclassified: from w = (0, 1), b = -1 the "
                "point (-1, 1) with t = 1 lies on the boundary (v = 0, predicted 0), the "
                "loss is exactly 0 and the loop ends at epoch 0 with 1 error.",
     "cause": "A misclassified point contributes -(t - y) v, which is 0 when v = 0: loss 0 "
              "does not mean 'no errors'. (The document's own run brushes past it: at epoch "
              "3 that point sits at v = -5.6e-17, on the boundary up to rounding.)",
     "fix": "Stop when no point is misclassified (y_pre == t everywhere), not when the loss "
            "is 0.",
     "test": "tests/test_examples_perceptron.py::test_stops_only_when_all_points_correct"},
    {"id": "never-stops-on-xor",
     "quote": "while loss_result != 0:",
     "symptom": "On data that no line separates (XOR) the loop runs for ever; here it is "
                "stopped by a guard after `steps` epochs.",
     "cause": "The perceptron rule converges only on linearly separable data; otherwise the "
              "weights cycle and some point is always misclassified.",
     "fix": "Bound the loop and report convergence honestly: stop on a repeated (w, b) "
            "state (a proof that it cycles) or after `steps` epochs, with converged=False.",
     "test": "tests/test_examples_perceptron.py::test_terminates_on_xor"},
    {"id": "globals",
     "quote": "def loss_fuc(y_pre, w, b):\n    val = np.matmul(x, w.T) + b",
     "symptom": "Called with another data set's predictions, loss_fuc and grad_update "
                "silently compute on the document's four points (and divide by 4 whatever "
                "the number of samples).",
     "cause": "They read the module-level x and t instead of taking the data as arguments.",
     "fix": "Pass X and t explicitly and divide by the number of samples m.",
     "test": "tests/test_examples_perceptron.py::test_loss_uses_the_data_it_is_given"},
]

REMARKS = [
    {"id": "not-backpropagation",
     "quote": "反向传播算法 (the title), and the update grad_w = -(np.matmul(t-y_pre, x)) / 4.0",
     "remark": "There is nothing to back-propagate through: one unit, and the step's "
               "derivative is 0 wherever it exists, so the chain-rule gradient of any loss "
               "of the prediction is 0 (chain_rule_gradient). The update is the perceptron "
               "rule (Rosenblatt), the gradient of the perceptron criterion with the step's "
               "factor skipped. Correct as a perceptron; mislabelled as backpropagation."},
    {"id": "float-equality",
     "quote": "while loss_result != 0:",
     "remark": "Comparing a float with 0 is usually fragile, but here every term is exactly "
               "0 for a correctly classified point (t - y_pre = 0), so the test is exact; "
               "the real defect is what loss 0 means (see the ledger)."},
    {"id": "integer-weights",
     "quote": "w_init = np.array([1, 1])",
     "remark": "An integer array: w_old - lr * grad_w makes a new float array, so it works; "
               "an in-place update (w -= lr * grad_w) would raise a casting error."},
]


def _check_options(options):
    opts = merge_options(NAME, OPTIONS, options, {"data": "points", "w_init": None,
                                                  "b_init": None})
    v.check_choice("data", opts["data"], ("points", "xor"))
    return opts


# -- the unit, its loss and its update -------------------------------------------------
def dataset(name="points"):
    """``(X, t)`` with samples as rows, as the document: its four points, or XOR."""
    if name == "points":
        return DOC_X.astype(np.float64), DOC_T.copy()
    X, Y = bp.datasets.xor()
    return X.T.copy(), Y.ravel().astype(np.int64)


def forward(X, w, b):
    """``(y_pre, val)``: the step unit's predictions (1 where ``val > 0``) and ``val``."""
    val = X @ w + b
    return bp.step(val), val


def loss(variant, y_pre, w, b, X=None, t=None):
    """The perceptron criterion. ``"original"`` ignores ``X``, ``t`` and uses the document's
    globals and its 4, as ``loss_fuc`` does; ``"fixed"`` uses the data it is given."""
    if check_variant(variant) == "original":
        X, t, m = DOC_X, DOC_T, 4.0
    else:
        m = float(len(t))
    return float(-((t - y_pre) @ (X @ w + b)) / m) + 0.0     # + 0.0: no "-0.0"


def update(variant, y_pre, w, b, lr, X=None, t=None):
    """One step of the perceptron rule; returns the new ``(w, b)``."""
    if check_variant(variant) == "original":
        X, t, m = DOC_X, DOC_T, 4.0
    else:
        m = float(len(t))
    grad_w = -((t - y_pre) @ X) / m
    grad_b = -np.sum(t - y_pre) / m
    return w - lr * grad_w, b - lr * grad_b


def chain_rule_gradient(X, t, w, b):
    """The gradient of the mean squared error of the step unit's output by the chain rule,
    :math:`\\partial C/\\partial w = \\sum_i \\frac{2}{m}(\\hat t_i - t_i)\\,
    \\mathrm{step}'(v_i)\\, x_i`: zero, because ``step_prime`` is zero. Returns ``(dw, db)``.
    """
    y_pre, val = forward(X, w, b)
    delta = 2.0 * (y_pre - t) / len(t) * bp.step_prime(val)
    return delta @ X, float(np.sum(delta))


def run(variant="fixed", *, seed=0, **options) -> dict:
    """Run the document's loop. ``data``: ``"points"`` (the document's) or ``"xor"``;
    ``w_init``/``b_init`` override the document's (1, 1) and 0. ``seed`` is unused (the
    document gives every number). The loss is recorded at every epoch, as printed."""
    variant = check_variant(variant)
    opts = _check_options(options)
    X, t = dataset(opts["data"])
    w = DOC_W.copy() if opts["w_init"] is None else np.asarray(opts["w_init"])
    b = DOC_B if opts["b_init"] is None else opts["b_init"]
    lr, guard = opts["lr"], opts["steps"]
    # The original's loss reads the globals: running it on other data means editing them,
    # so here it is given the data (its reading of globals is the "globals" ledger entry).
    loss_variant = "fixed" if variant == "original" and opts["data"] != "points" else variant
    y_pre, _ = forward(X, w, b)
    losses = [loss(loss_variant, y_pre, w, b, X, t)]
    errors = [int(np.sum(y_pre != t))]
    seen, epoch, stopped_by = {(tuple(np.ravel(w).tolist()), float(b)): 0}, 0, None
    while True:
        if variant == "original" and losses[-1] == 0:
            stopped_by = "loss == 0"
            break
        if variant == "fixed" and errors[-1] == 0:
            stopped_by = "no misclassified point"
            break
        if epoch >= guard:
            stopped_by = "guard" if variant == "original" else "steps"
            break
        epoch += 1
        w, b = update(loss_variant, y_pre, w, b, lr, X, t)
        y_pre, _ = forward(X, w, b)
        losses.append(loss(loss_variant, y_pre, w, b, X, t))
        errors.append(int(np.sum(y_pre != t)))
        key = (tuple(np.ravel(w).tolist()), float(b))
        if variant == "fixed" and key in seen and errors[-1] > 0:
            stopped_by = f"cycle (the state of epoch {seen[key]} again)"
            break
        seen.setdefault(key, epoch)
    _, val = forward(X, w, b)
    result = {"data": opts["data"], "epochs": epoch, "converged": errors[-1] == 0,
              "stopped_by": stopped_by, "stopped_by_guard": stopped_by == "guard",
              "misclassified": errors[-1], "errors": errors,
              "w": [float(u) for u in np.ravel(w)], "b": float(b),
              "val": [float(u) for u in val], "y_pre": [int(u) for u in y_pre],
              "t": [int(u) for u in t]}
    return summary(NAME, variant, seed, {k: opts[k] for k in OPTIONS}, losses, None, result, recorded_every=1, loss="perceptron")
