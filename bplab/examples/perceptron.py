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
    {"id": "boundary-point-counts-zero", "kind": "run",
     "where": "loss_fuc and the while condition",
     "quote": "loss = -(np.matmul(t - y_pre, val) / 4)\nwhile loss_result != 0:",
     "symptom": "The loop can stop with a point misclassified: from w = (0, 1), b = -1 the "
                "point (-1, 1) with t = 1 lies on the boundary (v = 0, predicted 0), the "
                "loss is exactly 0 and the loop ends at epoch 0 with 1 error.",
     "cause": "A misclassified point contributes -(t - y) v, which is 0 when v = 0: loss 0 "
              "does not mean 'no errors'. (The document's own run brushes past it: at epoch "
              "3 that point sits at v = -5.6e-17, on the boundary up to rounding.)",
     "fix": "Stop when no point is misclassified (y_pre == t everywhere), not when the loss "
            "is 0.",
     "test": "tests/test_examples_perceptron.py::test_stops_only_when_all_points_correct"},
    {"id": "never-stops-on-xor", "kind": "run", "where": "the while loop",
     "quote": "while loss_result != 0:",
     "symptom": "On data that no line separates (XOR) the loop runs for ever; here it is "
                "stopped by a guard after `steps` epochs.",
     "cause": "The perceptron rule converges only on linearly separable data; otherwise the "
              "weights cycle and some point is always misclassified.",
     "fix": "Bound the loop and report convergence honestly: stop on a repeated (w, b) "
            "state (a proof that it cycles) or after `steps` epochs, with converged=False.",
     "test": "tests/test_examples_perceptron.py::test_terminates_on_xor"},
    {"id": "globals", "kind": "run", "where": "loss_fuc, grad_update",
     "quote": "def loss_fuc(y_pre, w, b):\nval = np.matmul(x, w.T) + b",
     "symptom": "Called with another data set's predictions, loss_fuc and grad_update "
                "silently compute on the document's four points (and divide by 4 whatever "
                "the number of samples).",
     "cause": "They read the module-level x and t instead of taking the data as arguments.",
     "fix": "Pass X and t explicitly and divide by the number of samples m.",
     "test": "tests/test_examples_perceptron.py::test_loss_uses_the_data_it_is_given"},
    {"id": "not-backpropagation", "kind": "text",
     "where": "the title and section 8, '简单代码实现'",
     "quote": "反向传播算法\n8 简单代码实现",
     "translation": "The backpropagation algorithm … 8. A simple implementation in code",
     "symptom": "The code offered as the implementation of backpropagation is the "
                "perceptron rule: one unit, nothing to propagate back, and the chain rule "
                "through its step gives 0 (chain_rule_gradient).",
     "cause": "The update is the exact gradient of the code's own loss, the perceptron "
              "criterion (wherever it is differentiable, the chapter checks it), but that "
              "loss is not one the chain rule of the text produces.",
     "fix": "Call it the perceptron rule; for backpropagation use a differentiable unit "
            "(a sigmoid, as Cases 000 and 001).",
     "test": "tests/test_examples_perceptron.py::test_update_is_the_gradient_of_the_criterion"},
    {"id": "sum-versus-mean", "kind": "text", "where": "section 3 against loss_fuc",
     "quote": "总体损失函数(Total loss function)是定义在整个训练集上面的,也就是所有样本的误差的总和。"
              "也就是平时我们反向传播需要最小化的值。",
     "translation": "the total loss function is defined on the whole training set: the sum "
                    "of the errors of all samples. It is the value that backpropagation has "
                    "to minimise.",
     "symptom": "The code prints and differentiates the mean (the / 4 in loss_fuc and "
                "grad_update), not the sum: the text's loss is m = 4 times the printed one, "
                "and with it the same learning rate would take steps 4 times as large.",
     "cause": "text and code disagree on the factor 1/m; the minimiser and the stopping "
              "rule (loss 0) are the same for both.",
     "fix": "Say 'the mean of the errors' (or drop the / 4 and divide the learning rate by "
            "4).",
     "test": "tests/test_examples_perceptron.py::test_update_is_the_gradient_of_the_criterion"},
    {"id": "therefore-misspelt", "kind": "text", "where": "section 7, the summary",
     "quote": "所有我们就可以得到神经网络中所有的参数",
     "translation": "'all' we can obtain all the parameters of the network",
     "symptom": "所有 (all) for 所以 (therefore); and what the chain rule gives is the "
                "gradient of every parameter, not the parameters.",
     "cause": "a typo (suǒyǒu / suǒyǐ) and a missing word.",
     "fix": "所以我们就可以得到神经网络中所有参数的梯度 (therefore we obtain the gradients of "
            "all the parameters).", "test": None},
    {"id": "L-means-two-things", "kind": "text", "where": "section 3",
     "quote": "损失函数(Loss function)是定义在单个训练样本上的……通常用L表示\n"
              "对于L(θ)就是所有ln的损失之和",
     "translation": "the loss function is defined on a single training example … usually "
                    "written L … L(θ) is the sum of the losses of all ln",
     "symptom": "L first names one sample's loss, then the total; 'ln' is l^n with its "
                "superscript lost.",
     "cause": "notation used for two things; formatting lost.",
     "fix": "l^n for one sample, L(θ) = Σ_n l^n for the total.", "test": None},
    {"id": "formulas-and-result-missing", "kind": "text",
     "where": "sections 1, 2, 5, 6; the result",
     "quote": "权重梯度如下:\n5 Forward pass\n6 Backward pass\n代码结果:",
     "translation": "the weight gradient is as follows: … Forward pass … Backward pass … "
                    "Result of the code:",
     "symptom": "Each of these is followed by nothing: the formulas, the worked example and "
                "the program's output are missing from the page.",
     "cause": "images lost from the copy.",
     "fix": "Write the formulas in the text and print the result (this case runs it).",
     "test": None},
]

REMARKS = [
    {"id": "float-equality", "kind": "run", "where": "the while condition",
     "quote": "while loss_result != 0:",
     "remark": "Comparing a float with 0 is usually fragile, but here every term is exactly "
               "0 for a correctly classified point (t - y_pre = 0), so the test is exact; "
               "the real defect is what loss 0 means (ledger entry 1)."},
    {"id": "integer-weights", "kind": "run", "where": "the data",
     "quote": "w_init = np.array([1, 1])",
     "remark": "An integer array: w_old - lr * grad_w makes a new float array, so it works; "
               "an in-place update (w -= lr * grad_w) would raise a casting error."},
    {"id": "w-new-at-epoch-0", "kind": "report", "where": "the first print",
     "quote": 'print("epoch:", epoch, ..., "w_new:", w_init, ...)',
     "remark": "Epoch 0 prints the initial weights under the label w_new; harmless, as the "
               "epoch number says which they are."},
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
