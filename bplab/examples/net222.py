r"""Source document 001: the 2-2-2 sigmoid network of a lecture slide, by hand and by PyTorch.

Input :math:`x = (0.5, 0.3)`, target :math:`y = (0.23, -0.07)`, eight weights and no biases
(:func:`bplab.datasets.net222`), loss :math:`C = \frac12\sum_k (o_k - y_k)^2`, ten steps of
gradient descent with learning rate 1. With :math:`\delta_{o_k} = (o_k - y_k)\,o_k(1 - o_k)`
the correct gradients are

.. math::

    \frac{\partial C}{\partial w_5} = \delta_{o_1} h_1, \qquad
    \frac{\partial C}{\partial w_1} = (\delta_{o_1} w_5 + \delta_{o_2} w_6)\,
    h_1 (1 - h_1)\, x_1 ,

and the document writes :math:`(\delta_{o_1} h_1 + \delta_{o_2} h_1)\, h_1(1 - h_1)\, x_1`
for the second: the hidden activation where the output weights belong.

``run("original")`` reproduces the numpy program; ``run("fixed")`` corrects the gradients
and, so that the target -0.07 can be reached, gives the network a linear output layer
(``output="sigmoid"`` keeps the document's sigmoid outputs with the corrected gradients:
exactly the document's PyTorch program, see :func:`pytorch_run`).
"""
from __future__ import annotations

import numpy as np

import bplab as bp
from bplab import _validation as v
from bplab.examples._common import check_variant, merge_options, summary

NAME = "net222"
TITLE = "神经网络与深度学习(邱锡鹏)编程练习4 FNN 反向传播 梯度下降 numpy"
SOURCE = ("“神经网络与深度学习(邱锡鹏)编程练习4 FNN 反向传播 梯度下降 numpy” [Neural networks "
          "and deep learning (Qiu Xipeng), exercise 4: FNN backpropagation and gradient "
          "descent in numpy], by HBU_DAVID, blog post on cnblogs.com")
OPTIONS = {"lr": 1.0, "steps": 10}
NAMES = ("w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8")

LEDGER = [
    {"id": "hidden-gradients", "kind": "gradient", "where": "back_propagate: d_w1 to d_w4",
     "quote": "d_w1 = (d_w5 + d_w6) * out_h1 * (1 - out_h1) * x1\n"
              "d_w2 = (d_w7 + d_w8) * out_h2 * (1 - out_h2) * x1",
     "symptom": "The gradients of w1..w4 disagree with PyTorch's (the document's own second "
                "program) and with finite differences from the first step on; some have the "
                "wrong sign, so those weights move uphill.",
     "cause": "The error reaching h1 is delta_o1*w5 + delta_o2*w6, but d_w5 + d_w6 = "
              "delta_o1*h1 + delta_o2*h1: the hidden activation stands where the output "
              "weights belong (likewise h2 for w7, w8).",
     "fix": "(delta_o1*w5 + delta_o2*w6) * h1*(1 - h1) * x1 and the three like it — what "
            "bp.MLP.backward computes as W2.T @ delta * h*(1 - h).",
     "test": "tests/test_examples_net222.py::test_hidden_gradients_match_finite_differences"},
    {"id": "unreachable-target", "kind": "run", "where": "the data in __main__",
     "quote": "y1, y2 = 0.23, -0.07",
     "symptom": "The loss can never fall below (0.07)^2/2 = 0.00245 and o2 creeps towards 0 "
                "for ever (its weights grow without bound).",
     "cause": "o2 = sigmoid(in_o2) lies in (0, 1); the target -0.07 lies outside it.",
     "fix": "Keep the data and make the output layer linear (o = in_o), the usual output "
            "for a regression target of any sign. run('fixed', output='sigmoid') keeps the "
            "sigmoid outputs.",
     "test": "tests/test_examples_net222.py::test_target_is_reachable"},
    {"id": "comparison-never-made", "kind": "text", "where": "the plan, item 6",
     "quote": "6 比较 自定义反向传播 和 pytorch的反向传播",
     "translation": "6. compare the hand-written backpropagation with PyTorch's",
     "symptom": "Announced, never made: the PyTorch program's gradient printout is commented "
                "out and nothing sets the two side by side. Made, it shows four wrong "
                "gradients in the first step (entry 1).",
     "cause": "the page stops after running both programs.",
     "fix": "Compare the eight gradients of the first step, in float64 (this case does).",
     "test": "tests/test_examples_net222.py::test_original_misses_the_stored_pytorch_reference"},
    {"id": "programs-disagree", "kind": "report", "where": "the two programs' printouts",
     "quote": 'print("损失函数:", loss)',
     "translation": "print('loss:', loss)",
     "symptom": "The two programs print different losses for the same network, data and "
                "learning rate — from the 4th decimal after the first update, and in the 2nd "
                "decimal (0.12 against 0.11) at step 9 — and the page presents both as the "
                "same algorithm without a word on the difference.",
     "cause": "entry 1: the numpy program's hidden-layer gradients are wrong; PyTorch's are "
              "right.",
     "fix": "Fix entry 1; then the two agree to float32 rounding (about 1e-8).",
     "test": "tests/test_examples_net222.py::test_original_and_pytorch_printouts_part_at_step_9"},
    {"id": "convergence-claim", "kind": "text", "where": "the comment on the targets",
     "quote": "# 正数可以准确收敛;负数不行。why? 因为用sigmoid输出,y1, y2 在 (0,1)范围内。",
     "translation": "positive [targets] converge exactly; negative ones do not. Why? "
                    "Because with a sigmoid output y1, y2 [must be] in (0, 1).",
     "symptom": "The reason is right (entry 2), but the program shows no convergence for a "
                "positive target either: with y2 = +0.07 its 10 steps leave the loss near "
                "0.07 (the chapter runs it).",
     "cause": "a claim about long training attached to a 10-step program.",
     "fix": "Say that 10 steps do not converge, and how many do.",
     "test": "tests/test_examples_net222.py::test_positive_target_does_not_converge_in_ten_steps"},
    {"id": "x-label", "kind": "report", "where": "both loss plots",
     "quote": "plt.xlabel('w')",
     "symptom": "The loss curve's x axis is labelled w, a weight; it is the step number "
                "(eli holds i).",
     "cause": "a mislabelled axis.",
     "fix": "plt.xlabel('step').", "test": None},
    {"id": "loss-comment-and-name", "kind": "text", "where": "the training loop",
     "quote": "error = loss_fuction(out_o1, out_o2, y1, y2) # 正向传播",
     "translation": "… # forward propagation",
     "symptom": "The comment calls the loss evaluation 'forward propagation' (the forward "
                "pass is the line before), and 'fuction' is misspelt in every use.",
     "cause": "a copied comment; a typo.",
     "fix": "# 计算损失 (compute the loss); loss_function.", "test": None},
]

REMARKS = [
    {"id": "float32", "kind": "report", "where": "the PyTorch program's tensors",
     "quote": "x1, x2 = torch.Tensor([0.5]), torch.Tensor([0.3])",
     "remark": "torch.Tensor is float32: PyTorch's numbers agree with float64 numpy only to "
               "about 1e-8 (relative); compare in float64 to see agreement to 1e-15."},
    {"id": "mseloss-comment", "kind": "text", "where": "loss_fuction",
     "quote": "# 考虑 : t.nn.MSELoss()", "translation": "consider t.nn.MSELoss()",
     "remark": "nn.MSELoss takes the mean, sum/N: with N = 2 outputs that is exactly the "
               "document's half sum of squares, by coincidence of N = 2; with another "
               "number of outputs the loss and its gradient scale by 2/N."},
    {"id": "globals", "kind": "run", "where": "update_w, forward_propagate",
     "quote": "def update_w(w1, w2, w3, w4, w5, w6, w7, w8):",
     "remark": "update_w takes the weights as arguments but reads d_w1..d_w8 (and "
               "forward_propagate reads w1..w8) from module globals set in __main__: it "
               "works in this script, but the functions cannot be reused or tested alone."},
    {"id": "loss-before-update", "kind": "report", "where": "the training loop",
     "quote": "lli.append(error)",
     "remark": "The recorded loss is the loss before each update; the loss after the tenth "
               "update is never computed (this module reports it as result['final_loss'])."},
]


# -- the network, with the weights by name ---------------------------------------------
def to_matrices(w):
    """``W1 = [[w1, w3], [w2, w4]]``, ``W2 = [[w5, w7], [w6, w8]]`` from a dict w1..w8."""
    return (np.array([[w["w1"], w["w3"]], [w["w2"], w["w4"]]], dtype=np.float64),
            np.array([[w["w5"], w["w7"]], [w["w6"], w["w8"]]], dtype=np.float64))


def from_matrices(W1, W2):
    """The dict ``{"w1": ..., "w8": ...}`` of plain floats from ``W1``, ``W2``."""
    return {"w1": float(W1[0, 0]), "w2": float(W1[1, 0]), "w3": float(W1[0, 1]),
            "w4": float(W1[1, 1]), "w5": float(W2[0, 0]), "w6": float(W2[1, 0]),
            "w7": float(W2[0, 1]), "w8": float(W2[1, 1])}


def _net(w, output):
    net = bp.MLP([2, 2, 2], hidden="sigmoid", output=output, loss="half_sse")
    return net.set_weights(to_matrices(w))          # biases stay zero: the slide has none


def original_gradients(w, x=None, y=None):
    """The document's eight formulas, verbatim in meaning: ``(loss, {"w1": ..., ...})``."""
    d = bp.datasets.net222()
    x = d.x if x is None else np.asarray(x, dtype=np.float64).reshape(2, 1)
    y = d.y if y is None else np.asarray(y, dtype=np.float64).reshape(2, 1)
    (x1, x2), (y1, y2) = x.ravel(), y.ravel()
    h1 = bp.sigmoid(w["w1"] * x1 + w["w3"] * x2)
    h2 = bp.sigmoid(w["w2"] * x1 + w["w4"] * x2)
    o1 = bp.sigmoid(w["w5"] * h1 + w["w7"] * h2)
    o2 = bp.sigmoid(w["w6"] * h1 + w["w8"] * h2)
    loss = 0.5 * (o1 - y1) ** 2 + 0.5 * (o2 - y2) ** 2
    g = {"w5": (o1 - y1) * o1 * (1 - o1) * h1, "w7": (o1 - y1) * o1 * (1 - o1) * h2,
         "w6": (o2 - y2) * o2 * (1 - o2) * h1, "w8": (o2 - y2) * o2 * (1 - o2) * h2}
    g["w1"] = (g["w5"] + g["w6"]) * h1 * (1 - h1) * x1         # the bug: h1 for w5, w6
    g["w3"] = (g["w5"] + g["w6"]) * h1 * (1 - h1) * x2
    g["w2"] = (g["w7"] + g["w8"]) * h2 * (1 - h2) * x1         # and h2 for w7, w8
    g["w4"] = (g["w7"] + g["w8"]) * h2 * (1 - h2) * x2
    return float(loss), {k: float(g[k]) for k in NAMES}


def fixed_gradients(w, x=None, y=None, *, output="sigmoid"):
    """The correct gradients by :meth:`bplab.MLP.gradients`: ``(loss, {"w1": ..., ...})``."""
    d = bp.datasets.net222()
    x = d.x if x is None else np.asarray(x, dtype=np.float64).reshape(2, 1)
    y = d.y if y is None else np.asarray(y, dtype=np.float64).reshape(2, 1)
    loss, dW, _ = _net(w, output).gradients(x, y)
    return float(loss), from_matrices(*dW)


def loss(w, *, output="sigmoid"):
    """:math:`C = \\frac12\\sum_k (o_k - y_k)^2` at the weights ``w`` on the document's data."""
    d = bp.datasets.net222()
    return _net(w, output).loss(d.x, d.y)


def run(variant="fixed", *, seed=0, output=None, **options) -> dict:
    """Ten steps of gradient descent from the slide's weights (``seed`` is unused: the
    document gives every number). ``output``: ``"sigmoid"`` (default of ``"original"``) or
    ``"identity"`` (default of ``"fixed"``)."""
    variant = check_variant(variant)
    opts = merge_options(NAME, OPTIONS, options)
    if output is None:
        output = "sigmoid" if variant == "original" else "identity"
    output = v.check_choice("output", output, ("sigmoid", "identity"))
    if variant == "original" and output != "sigmoid":
        raise ValueError("the original variant is the document's program, which has "
                         "sigmoid outputs; output='identity' applies to 'fixed' only.")
    w = dict(bp.datasets.net222().w)
    losses, trajectory, grads = [], [dict(w)], []
    for _ in range(opts["steps"]):
        if variant == "original":
            value, g = original_gradients(w)
        else:
            value, g = fixed_gradients(w, output=output)
        losses.append(value)                         # the loss before the update, as lli
        grads.append(g)
        w = {k: w[k] - opts["lr"] * g[k] for k in NAMES}
        trajectory.append(dict(w))
    d = bp.datasets.net222()
    out = _net(w, output).predict(d.x).ravel()
    result = {"output": output, "weights": w, "final_loss": loss(w, output=output),
              "prediction": [float(o) for o in out], "target": d.y.ravel().tolist(),
              "trajectory": trajectory, "gradients": grads}
    return summary(NAME, variant, seed, {k: opts[k] for k in OPTIONS}, losses, None, result, recorded_every=1, loss="half_sse")


def pytorch_run(*, lr=1.0, steps=10, output="sigmoid", dtype="float64") -> dict:
    """The document's PyTorch program (scalar tensors, ``L.backward()``), in ``dtype``.

    Returns ``{"losses", "trajectory", "gradients"}`` like :func:`run`'s, as plain floats.
    Needs PyTorch (imported here, so that the rest of the module does not).
    """
    import torch

    dt = {"float64": torch.float64, "float32": torch.float32}[dtype]
    d = bp.datasets.net222()
    x1, x2 = (torch.tensor([float(v_)], dtype=dt) for v_ in d.x.ravel())
    y1, y2 = (torch.tensor([float(v_)], dtype=dt) for v_ in d.y.ravel())
    w = {k: torch.tensor([d.w[k]], dtype=dt, requires_grad=True) for k in NAMES}

    def sigmoid(z):                                  # the document's own sigmoid
        return 1 / (1 + torch.exp(-z))

    f = sigmoid if output == "sigmoid" else (lambda z: z)
    losses, trajectory, grads = [], [{k: float(w[k].item()) for k in NAMES}], []
    for _ in range(steps):
        h1 = sigmoid(w["w1"] * x1 + w["w3"] * x2)
        h2 = sigmoid(w["w2"] * x1 + w["w4"] * x2)
        o1 = f(w["w5"] * h1 + w["w7"] * h2)
        o2 = f(w["w6"] * h1 + w["w8"] * h2)
        L = 0.5 * (o1 - y1) ** 2 + 0.5 * (o2 - y2) ** 2
        L.backward()
        losses.append(float(L.item()))
        grads.append({k: float(w[k].grad.item()) for k in NAMES})
        with torch.no_grad():
            for k in NAMES:
                w[k] -= lr * w[k].grad
                w[k].grad.zero_()
        trajectory.append({k: float(w[k].item()) for k in NAMES})
    return {"losses": losses, "trajectory": trajectory, "gradients": grads}
