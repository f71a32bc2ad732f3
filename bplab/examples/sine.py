r"""Source document 000: a ``[1, 25, 1]`` network fitted to :math:`y = 20\sin(2\pi x)`.

The document trains a sigmoid network with a linear output by full-batch gradient descent
(learning rate 0.3, 4000 steps) and prints the mean squared error every 100th step.

``run("original")`` reproduces it — same data, all-positive ``rng.random`` weights, zero
biases, the same update — bugs included; ``run("fixed")`` corrects every entry of
:data:`LEDGER` and nothing else. The network's equations are those of :mod:`bplab.network`:

.. math::

    a^{(0)} = x, \qquad a^{(l)} = \sigma\big(W^{(l)} a^{(l-1)} + b^{(l)}\big), \qquad
    \hat y = W^{(L)} a^{(L-1)} + b^{(L)} .

The document's forward pass computes :math:`\sigma(W^{(l)} x + b^{(l)})` instead: fine for
one hidden layer (where :math:`a^{(0)} = x`), a shape error for two.
"""
from __future__ import annotations

import numpy as np

import bplab as bp
from bplab.examples._common import check_variant, merge_options, summary

NAME = "sine"
TITLE = "反向传播(backward propagation,BP) python实现"
SOURCE = ("“反向传播(backward propagation,BP) python实现” [Backpropagation implemented in "
          "Python], blog post, author not named, http://www.lryc.cn/news/318432.html")
OPTIONS = {"sizes": [1, 25, 1], "lr": 0.3, "steps": 4000}
RECORDED_EVERY = 100    # the document prints the loss when i % 100 == 0

LEDGER = [
    {"id": "forward-feeds-x",
     "quote": 'z_temp =parameters["w"+str(i)].dot(x) + parameters["b"+str(i)]',
     "symptom": "With two hidden layers, e.g. sizes [1, 25, 10, 1], the first step raises "
                "ValueError: shapes (10,25) and (1,100) not aligned.",
     "cause": "Every hidden layer is fed the network input x instead of the previous "
              "layer's activation a[i-1]; with one hidden layer the two coincide, so the "
              "document's own run cannot show it.",
     "fix": "Feed a[i-1] (a^(l-1)) into layer i, as bp.MLP.forward does.",
     "test": "tests/test_examples_sine.py::test_forward_feeds_previous_activation"},
    {"id": "all-positive-init",
     "quote": 'parameters["w"+str(i)] = np.random.random([layers_dim[i],layers_dim[i-1]])',
     "symptom": "With two hidden layers the second hidden layer starts saturated (z about 7, "
                "sigma'(z) < 0.01) and training stalls at the loss of a constant prediction, "
                "200 = mean(y^2).",
     "cause": "Weights drawn from [0, 1): all positive, not scaled by the fan-in, so the 25 "
              "positive sigmoid outputs (about 0.6 each) add up to a large pre-activation.",
     "fix": "Zero-mean weights scaled by the fan-in, N(0, 1/n_in) (bp.MLP's init='scaled'), "
            "zero biases as before.",
     "test": "tests/test_examples_sine.py::test_init_does_not_saturate_deeper_layers"},
    {"id": "gradient-of-half-the-loss",
     "quote": 'grades["dz"+str(layers)] = al - y\n...\nreturn np.mean(np.square(al-y))',
     "symptom": "A gradient check against the loss the document prints (compute_loss, the "
                "mean squared error) fails on every array: the gradients are half the "
                "finite differences.",
     "cause": "d/dA mean((A - Y)^2) = 2 (A - Y)/m, but backward uses (A - Y)/m: it is the "
              "gradient of C = mean((A - Y)^2)/2, a different (equivalent) objective.",
     "fix": "Keep the update and say what it minimises: the fixed variant's objective is "
            "C = mean((A - Y)^2)/2 (doubling the gradient at lr 0.3 instead makes the fit "
            "much worse); the printed metric stays the MSE.",
     "test": "tests/test_examples_sine.py::test_gradient_matches_the_stated_objective"},
]

REMARKS = [
    {"id": "stale-final-output",
     "quote": "plt.scatter(x,al)",
     "remark": "al comes from the forward pass before the last update, and each printed "
               "loss belongs to the parameters before that step's update; the loss after "
               "training is never computed. Harmless here (the difference is tiny), but "
               "this module reports it as result['final_loss']."},
    {"id": "loader-plots",
     "quote": "plt.scatter(x,y)\n    return x,y",
     "remark": "load_data draws a scatter plot as a side effect and the script then draws "
               "the same points again: a data loader should only load."},
    {"id": "recomputed-sigmoid",
     "quote": 'sigmoid_prime(caches["z"][i])',
     "remark": "The backward pass recomputes sigma(z) although the cache holds a = sigma(z): "
               "a(1 - a) is the same number, for free."},
    {"id": "unseeded",
     "quote": "np.random.random(...)",
     "remark": "The global, unseeded random state makes every run different; here "
               "np.random.default_rng(seed).random draws the same shapes reproducibly."},
]


def _check_options(options):
    opts = merge_options(NAME, OPTIONS, options)
    sizes = opts["sizes"]
    if (isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__") or len(sizes) < 3
            or sizes[0] != 1 or sizes[-1] != 1
            or not all(isinstance(n, (int, np.integer)) and n >= 1 for n in sizes)):
        raise ValueError(f"sizes must list positive integers starting and ending with 1 "
                         f"(one input x, one output y) with at least one hidden layer, e.g. "
                         f"[1, 25, 1] or [1, 25, 10, 1]; got {sizes!r}.")
    opts["sizes"] = [int(n) for n in sizes]
    return opts


# -- the document's algorithm, written out ---------------------------------------------
def init_parameters(variant, sizes, seed=0):
    """Initial ``(weights, biases)`` for ``sizes`` (``weights[l]`` of shape (n_out, n_in)).

    ``"original"``: ``rng.random`` in [0, 1) as the document; ``"fixed"``: bp.MLP's
    ``init="scaled"``, :math:`\\mathcal N(0, 1/n_{in})`. Biases are zero in both.
    """
    variant = check_variant(variant)
    net = bp.MLP(sizes, init="uniform01" if variant == "original" else "scaled", seed=seed)
    return [W.copy() for W in net.weights], [b.copy() for b in net.biases]


def forward(variant, weights, biases, X):
    """The forward pass: returns ``(A, a)`` with ``a`` the list of activations, ``a[0] = X``.

    ``"original"`` feeds ``X`` into every hidden layer (the document's bug; ``np.dot``
    raises its own ValueError when the shapes do not chain).
    """
    a = [X]
    for l in range(len(weights) - 1):
        inp = X if variant == "original" else a[-1]
        a.append(bp.sigmoid(np.dot(weights[l], inp) + biases[l]))
    A = np.dot(weights[-1], a[-1]) + biases[-1]
    a.append(A)
    return A, a


def gradients(variant, weights, biases, X, Y):
    """``(dW, db)`` as the variant's backward pass computes them (both use ``(A - Y)/m``)."""
    A, a = forward(variant, weights, biases, X)
    return _backward(weights, a, Y)


def _backward(weights, a, Y):
    m = Y.shape[1]
    delta = a[-1] - Y                   # the document's dz of the output layer
    L = len(weights)
    dW, db = [None] * L, [None] * L
    for l in range(L - 1, -1, -1):
        dW[l] = delta @ a[l].T / m
        db[l] = delta.sum(axis=1, keepdims=True) / m
        if l > 0:
            delta = (weights[l].T @ delta) * a[l] * (1 - a[l])
    return dW, db


def objective(variant, A, Y):
    """The loss the variant says it minimises: the document's printed MSE (``"original"``)
    or :math:`\\frac12` MSE (``"fixed"``), whose gradient the update really is."""
    mse = float(np.mean((A - Y) ** 2))
    return mse if check_variant(variant) == "original" else 0.5 * mse


def run(variant="fixed", *, seed=0, **options) -> dict:
    """Train as the document does; returns the JSON-serialisable summary (see the package)."""
    variant = check_variant(variant)
    opts = _check_options(options)
    sizes, lr, steps = opts["sizes"], opts["lr"], opts["steps"]
    X, Y = bp.datasets.sine()
    weights, biases = init_parameters(variant, sizes, seed)
    losses = []
    try:
        for i in range(steps):
            A, a = forward(variant, weights, biases, X)
            dW, db = _backward(weights, a, Y)
            for l in range(len(weights)):
                weights[l] = weights[l] - lr * dW[l]
                biases[l] = biases[l] - lr * db[l]
            if i % RECORDED_EVERY == 0:
                losses.append(float(np.mean((A - Y) ** 2)))
    except ValueError as exc:
        error = {"type": type(exc).__name__, "message": str(exc)}
        return summary(NAME, variant, seed, {k: opts[k] for k in OPTIONS}, losses, error, {"sizes": sizes, "steps_done": i},
                        recorded_every=RECORDED_EVERY, loss="mse")
    A, _ = forward(variant, weights, biases, X)
    result = {"sizes": sizes, "steps_done": steps, "final_loss": float(np.mean((A - Y) ** 2)),
              "objective": "mse" if variant == "original" else "half_mse",
              "x": X.ravel().tolist(), "prediction": A.ravel().tolist(),
              "weights": [W.tolist() for W in weights], "biases": [b.tolist() for b in biases]}
    return summary(NAME, variant, seed, {k: opts[k] for k in OPTIONS}, losses, None, result,
                    recorded_every=RECORDED_EVERY, loss="mse")
