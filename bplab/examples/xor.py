r"""Source 004: a 2-4-1 sigmoid network on XOR, samples as rows — reproduced and judged.

The document trains ``sigmoid(sigmoid(X W1 + b1) W2 + b2)`` (``X`` of shape (4, 2), samples
as rows) by full-batch gradient descent, ``lr = 0.1``, 10 000 epochs, from weights drawn by
the unseeded ``np.random.rand`` (uniform in [0, 1), all positive) and zero biases. Its
gradient is that of :math:`\tfrac12\sum (a - y)^2` (no :math:`1/m`); it prints
``np.mean((y - output)**2)`` every 1000 epochs.

Everything here runs a whole stack of networks at once (a leading axis of seeds), so that
the success rate over 100 initialisations takes about a second; a single run is a stack of
one.
"""
from __future__ import annotations

import numpy as np

from bplab.examples._common import check_seed, check_variant, merge_options

NAME = "xor"
TITLE = "BP神经网络——从原理到实现"
SOURCE = "Blog post (author not named): a 2-4-1 sigmoid network on XOR in numpy"
OPTIONS = {"sizes": [2, 4, 1], "lr": 0.1, "steps": 10000}
RECORD_EVERY = 1000
INITS = ("uniform01", "centred")

LEDGER = [
    {"id": "X1", "kind": "run", "where": "NeuralNetwork.__init__",
     "quote": "self.W1 = np.random.rand(input_size, hidden_size)",
     "symptom": "every run starts from different weights and prints different losses and "
                "predictions; nobody (the author included) can reproduce a run",
     "cause": "the weights come from the global, unseeded np.random state",
     "fix": "draw from rng = np.random.default_rng(seed) with an explicit seed (the same "
            "uniform [0, 1) distribution, in the same order)",
     "test": "tests/test_examples_xor.py::test_X1_a_run_can_be_repeated"},
    {"id": "X2", "kind": "report", "where": "backward against train's printout",
     "quote": "error = output - y\nloss = np.mean((y - output) ** 2)\n"
              "反向传播主要是计算误差关于权重的梯度",
     "translation": "backpropagation mainly computes the gradient of the error with respect "
                    "to the weights",
     "symptom": "The text says backpropagation computes the gradient of the error (the loss "
                "it prints as 'Loss'); the step is m/2 times the gradient of that printed "
                "mean (2 here, with m = 4 samples; 4 with 8), so lr 0.1 is a step of 0.2 on "
                "the printed loss.",
     "cause": "backward starts from output - y and never divides by m: exactly the gradient "
              "of C = 0.5 * sum((output - y)^2), right for that loss. The printed mean is "
              "(2/m) C. The gradient is not wrong; the report names the wrong loss.",
     "fix": "print the loss that is minimised, 0.5 * np.sum((output - y) ** 2), or divide "
            "the gradient by m and double the learning rate, or say which is which",
     "test": "tests/test_examples_xor.py::test_X2_step_is_m_over_2_times_the_printed_loss_gradient"},
    {"id": "X3", "kind": "text", "where": "the summary of the algorithm, against train",
     "quote": "重复以上过程,直到达到收敛条件。",
     "translation": "repeat the above until a convergence condition is met",
     "symptom": "The code has no convergence condition: it runs a fixed 10 000 epochs, "
                "which the slowest seeds barely need (the chapter's sweep).",
     "cause": "text and code describe different stopping rules.",
     "fix": "say 'for a fixed number of epochs', or stop when all four outputs lie on the "
            "right side of 0.5 (with a cap), and report which happened",
     "test": "tests/test_examples_xor.py::test_X3_the_fixed_budget_is_what_the_slowest_seeds_need"},
    {"id": "X4", "kind": "text", "where": "sections 1 and 2",
     "quote": "其中:\n是第\n层的输出(第\n层的输入)。\n是第\n层的权重矩阵。",
     "translation": "where: … is the output of layer … (the input of layer …). … is the "
                    "weight matrix of layer …",
     "symptom": "Every formula and symbol of the explanation is missing from the page: the "
                "forward pass, the loss, the two error formulas and the update cannot be read.",
     "cause": "the formulas were images or markup lost from the copy.",
     "fix": "write the equations in the text (Chapter 3 of this course does).",
     "test": None},
]

REMARKS = [
    {"id": "R1", "kind": "run", "where": "NeuralNetwork.__init__",
     "quote": "self.W1 = np.random.rand(input_size, hidden_size)",
     "remark": "all-positive initial weights: it still learns XOR from every seed tried in "
               "the chapter, as reliably as a centred init"},
    {"id": "R2", "kind": "run", "where": "sigmoid_derivative",
     "quote": "def sigmoid_derivative(x): return x * (1 - x)",
     "remark": "takes the activation a = sigma(z), not z; correct here because it is only "
               "ever called with activations (output and self.a1)"},
    {"id": "R3", "kind": "run", "where": "the data",
     "quote": "X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])",
     "remark": "integer inputs and targets; harmless, since nothing is updated in place "
               "and np.dot(int, float) is float"},
]


def sigmoid(x):
    r""":math:`\sigma(x) = 1/(1 + e^{-x})`, as the document."""
    return 1 / (1 + np.exp(-x))


def sigmoid_derivative(a):
    r""":math:`\sigma'(z)` written in terms of the activation :math:`a = \sigma(z)`: :math:`a(1-a)`."""
    return a * (1 - a)


def data():
    """The document's data: ``X`` (4, 2) and ``y`` (4, 1), integer arrays, samples as rows."""
    return np.array([[0, 0], [0, 1], [1, 0], [1, 1]]), np.array([[0], [1], [1], [0]])


def init_params(seeds, sizes=(2, 4, 1), *, init="uniform01"):
    """Initial ``(W1, b1, W2, b2)`` for each seed, stacked on a leading axis.

    ``W1`` has shape ``(S, n_in, n_hidden)`` and ``W2`` ``(S, n_hidden, 1)`` (samples are
    rows, so weights are ``(n_in, n_out)``); biases are zero. ``init="uniform01"`` draws as
    the document, ``rng.random`` in [0, 1); ``"centred"`` draws ``rng.uniform(-1, 1)``.
    A seed of ``None`` draws from fresh OS entropy, like the document's unseeded
    ``np.random.rand``.
    """
    if init not in INITS:
        raise ValueError(f"Unknown init {init!r}. Expected one of {INITS}.")
    n_in, n_hidden, n_out = sizes
    W1, W2 = [], []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        draw = rng.random if init == "uniform01" else (lambda shape: rng.uniform(-1, 1, shape))
        W1.append(draw((n_in, n_hidden)))
        W2.append(draw((n_hidden, n_out)))
    S = len(W1)
    return (np.stack(W1), np.zeros((S, 1, n_hidden)), np.stack(W2), np.zeros((S, 1, n_out)))


def train_stack(params, X, y, *, lr, epochs, record_every=RECORD_EVERY):
    r"""The document's training loop, on a stack of networks at once.

    Each epoch: forward; every ``record_every`` epochs record ``np.mean((y - output)**2)``
    (before the update, as the document prints it); then

    .. math::

        \delta_2 = (a_2 - y)\odot a_2(1 - a_2),\quad
        \delta_1 = \delta_2 W_2^\top \odot a_1(1 - a_1),\quad
        W_2 \mathrel{-}= \eta\, a_1^\top \delta_2,\quad W_1 \mathrel{-}= \eta\, X^\top\delta_1

    (and the biases by column sums) — the gradient of :math:`\tfrac12\sum(a_2 - y)^2`.

    Returns ``(params, losses, first_correct)``: the final parameters, the recorded losses of
    shape ``(S, epochs // record_every)`` and, per network, the first epoch at which all four
    outputs lie on the right side of 0.5 (``-1`` if never).
    """
    W1, b1, W2, b2 = (p.copy() for p in params)
    S = W1.shape[0]
    losses = []
    first = np.full(S, -1)
    for epoch in range(epochs):
        a1 = sigmoid(np.matmul(X, W1) + b1)                   # (S, 4, h)
        output = sigmoid(np.matmul(a1, W2) + b2)              # (S, 4, 1)
        correct = np.all((output > 0.5) == (y > 0.5), axis=(1, 2))
        first[(first < 0) & correct] = epoch
        if epoch % record_every == 0:
            losses.append(np.mean((y - output) ** 2, axis=(1, 2)))
        d_z2 = (output - y) * sigmoid_derivative(output)
        d_W2 = np.matmul(np.swapaxes(a1, 1, 2), d_z2)
        d_b2 = np.sum(d_z2, axis=1, keepdims=True)
        d_z1 = np.matmul(d_z2, np.swapaxes(W2, 1, 2)) * sigmoid_derivative(a1)
        d_W1 = np.matmul(X.T, d_z1)
        d_b1 = np.sum(d_z1, axis=1, keepdims=True)
        W1 -= lr * d_W1
        b1 -= lr * d_b1
        W2 -= lr * d_W2
        b2 -= lr * d_b2
    losses = np.stack(losses, axis=1) if losses else np.zeros((S, 0))
    return (W1, b1, W2, b2), losses, first


def predict(params, X):
    """The outputs of a stack of networks, shape ``(S, 4, 1)``."""
    W1, b1, W2, b2 = params
    return sigmoid(np.matmul(sigmoid(np.matmul(X, W1) + b1), W2) + b2)


def sweep(seeds, *, init="uniform01", lr=0.1, steps=10000, hidden=4,
          record_every=RECORD_EVERY) -> dict:
    """Train one network per seed; report which learn XOR (all four outputs on the right side
    of 0.5 after training) and when each first got there. Arrays have one row per seed."""
    X, y = data()
    params = init_params(list(seeds), (2, hidden, 1), init=init)
    params, losses, first = train_stack(params, X, y, lr=lr, epochs=steps,
                                        record_every=record_every)
    out = predict(params, X)
    learned = np.all((out > 0.5) == (y > 0.5), axis=(1, 2))
    return {"seeds": list(seeds), "learned": learned, "success_rate": float(learned.mean()),
            "first_correct_epoch": first, "losses": losses,
            "final_loss": np.mean((y - out) ** 2, axis=(1, 2)),
            "max_error": np.max(np.abs(y - out), axis=(1, 2)), "params": params}


def _check_options(variant, options, seed=0):
    check_variant(variant)
    check_seed(seed, allow_none=True)
    opts = merge_options(NAME, OPTIONS, options)
    sizes = opts["sizes"]
    if (not isinstance(sizes, (list, tuple)) or len(sizes) != 3 or sizes[0] != 2
            or sizes[2] != 1 or not isinstance(sizes[1], (int, np.integer)) or sizes[1] < 1):
        raise ValueError(f"sizes for XOR must be [2, n_hidden, 1] (two inputs, one hidden "
                         f"layer, one output), e.g. [2, 4, 1]; got {sizes!r}.")
    return [int(n) for n in sizes], float(opts["lr"]), int(opts["steps"])


def run(variant="fixed", *, seed=0, **options) -> dict:
    """Train the document's network on XOR and return a JSON-ready dict.

    ``variant="original"`` draws its weights as the document does; ``seed=None`` then means
    unseeded, like the document (a different run every time). ``"fixed"`` differs only in
    always seeding (``seed=None`` means the default seed 0): the rest of the document is
    correct (see ``REMARKS``).
    """
    sizes, lr, steps = _check_options(variant, options, seed)
    if variant == "fixed" and seed is None:
        seed = 0
    X, y = data()
    params = init_params([seed], sizes)
    params, losses, first = train_stack(params, X, y, lr=lr, epochs=steps)
    out = predict(params, X)[0, :, 0]
    labels = (out > 0.5).astype(int)
    accuracy = float(np.mean(labels == y[:, 0]))
    W1, b1, W2, b2 = (p[0] for p in params)
    result = {
        "predictions": out.tolist(), "predicted_labels": labels.tolist(),
        "targets": y[:, 0].tolist(), "accuracy": accuracy, "converged": accuracy == 1.0,
        "epochs": steps, "first_correct_epoch": int(first[0]) if first[0] >= 0 else None,
        "final_loss": float(np.mean((y[:, 0] - out) ** 2)),
        "weights": {"W1": W1.tolist(), "b1": b1.tolist(), "W2": W2.tolist(),
                    "b2": b2.tolist()},
        "seeded": seed is not None,
    }
    return {"example": NAME, "variant": variant, "seed": seed,
            "options": {"sizes": sizes, "lr": lr, "steps": steps},
            "losses": losses[0].tolist(), "recorded_every": RECORD_EVERY,
            "recorded_unit": "epoch", "loss_name": "np.mean((y - output)**2), before the update",
            "error": None, "result": result}
