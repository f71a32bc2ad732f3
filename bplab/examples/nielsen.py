r"""Source 003: Nielsen's ``backprop(x, y)``, as copied into a blog post — reproduced and fixed.

The post quotes ``backprop`` (and ``cost_derivative``, ``sigmoid``, ``sigmoid_prime``) from a
copy of the ``network.py`` of Nielsen's *Neural Networks and Deep Learning*. The method
lives in Nielsen's ``Network`` class, whose ``SGD`` / ``update_mini_batch`` (not in the post,
reproduced here from Nielsen's book) train it with mini-batch gradient descent on the
quadratic cost :math:`C_x = \tfrac12\lVert a^{(L)} - y\rVert^2`, one sample ``x`` of shape
``(n_in, 1)`` at a time. Every bug of the copy can be switched on one at a time
(``Network(..., bugs={"N1"})``); ``variant="original"`` switches all of them on.
"""
from __future__ import annotations

from contextlib import contextmanager

import numpy as np

from bplab.examples._common import check_seed, check_variant, merge_options

NAME = "nielsen"
TITLE = "Untitled post on backprop in Python (the copy we have shows no title)"
SOURCE = ("Post on 圆月山庄资源网 (www.vgjia.com), quoting backprop() from the network.py of "
          "https://github.com/LCAIZJ/neural-networks-and-deep-learning, a copy of M. Nielsen's "
          "code for 'Neural Networks and Deep Learning' (2015)")
OPTIONS = {"sizes": [64, 30, 10], "lr": 3.0, "steps": 20}
MINI_BATCH_SIZE = 10

LEDGER = [
    {"id": "N1", "kind": "gradient", "where": "backprop: the output delta",
     "quote": "delta = self.cost_derivative(activations[-1],y)*sigmoid_prime(zs[:-1])",
     "symptom": "[64,30,10]: ValueError, operands could not be broadcast together with shapes "
                "(10,1) (1,30,1); [64,30,20,10]: ValueError, inhomogeneous (ragged) array; "
                "[2,3,1]: no error, but delta has shape (1,3,1) and nabla_w[-1] shape (1,3,3)",
     "cause": "zs[:-1] is the list of every pre-activation but the last, not the last one "
              "zs[-1]; numpy turns that list into one stacked (or ragged) array",
     "fix": "sigmoid_prime(zs[-1])",
     "test": "tests/test_examples_nielsen.py::test_N1_output_delta_has_the_shape_of_the_output"},
    {"id": "N2", "kind": "run", "where": "backprop: the backward loop",
     "quote": "for l in xrange(2,self.num_layers):",
     "symptom": "NameError: name 'xrange' is not defined",
     "cause": "a Python 2 leftover (Nielsen's code was written for Python 2.7); Python 3 has "
              "only range",
     "fix": "for l in range(2, self.num_layers):",
     "test": "tests/test_examples_nielsen.py::test_N2_runs_under_python3"},
    {"id": "N3", "kind": "run", "where": "backprop: the hidden delta",
     "quote": "delta = np.dot(self.weight[-l+1].transpose(),delta)*sp",
     "symptom": "AttributeError: 'Network' object has no attribute 'weight'",
     "cause": "misspelt attribute: the class stores its matrices in self.weights",
     "fix": "self.weights[-l+1]",
     "test": "tests/test_examples_nielsen.py::test_N3_hidden_layers_use_self_weights"},
    {"id": "N4", "kind": "gradient", "where": "sigmoid",
     "quote": "def sigmoid(z): return 1.0/(1.0+np.exp(z))",
     "symptom": "no error: the gradients of the output layer (and of every second layer "
                "below it) have the wrong sign; SGD climbs the cost of the output layer and "
                "the accuracy stays at chance",
     "cause": "the forward pass computes sigma(-z), whose derivative is -sigma'(z); "
              "sigmoid_prime of it is sigma(-z) sigma(z) = +sigma'(z) by symmetry, so each "
              "delta changes sign once per layer",
     "fix": "def sigmoid(z): return 1.0/(1.0+np.exp(-z))",
     "test": "tests/test_examples_nielsen.py::test_N4_gradients_match_finite_differences"},
    {"id": "T1", "kind": "text", "where": "the first sentence",
     "quote": "很重要的一部就是使用BackPropagation(反向传播)算法",
     "translation": "a very important 'part' (一部) is to use the backpropagation algorithm",
     "symptom": "一部 (a part, a volume) for 一步 (a step).",
     "cause": "a homophone typo (both yíbù).",
     "fix": "很重要的一步就是…… (a very important step is …)", "test": None},
    {"id": "T2", "kind": "text", "where": "a comment in backprop",
     "quote": "activations = [x]# 存储的是所以的输出层",
     "translation": "stores 'therefore' (所以) the output layers",
     "symptom": "所以 (therefore) for 所有 (all); and the list holds the activations of "
                "every layer, input included, not 'output layers'.",
     "cause": "a typo (suǒyǐ / suǒyǒu) and a loose word.",
     "fix": "# 存储所有层的输出(激活值) (stores every layer's output, its activation)",
     "test": None},
    {"id": "T3", "kind": "text", "where": "the first paragraph",
     "quote": "这样就可以在原来的w,b的基础上减去偏导数来更新",
     "translation": "so that w, b can be updated by subtracting the partial derivatives from "
                    "their old values",
     "symptom": "The update subtracts the learning rate times the mean of the partial "
                "derivatives over a mini-batch (Nielsen's update_mini_batch, eta/len), not "
                "the derivatives themselves.",
     "cause": "the learning rate and the averaging left out.",
     "fix": "…减去学习率乘以小批量上偏导数的平均值 (subtract eta times the mini-batch mean "
            "of the derivatives).", "test": None},
    {"id": "T4", "kind": "text", "where": "every method of the code",
     "quote": "def backprop(self,x,y): nabla_b = [np.zeros(b.shape) for b in self.biases] "
              "nabla_w = …",
     "symptom": "The published code lost its line breaks and indentation: each method is "
                "printed on one line, which Python rejects (SyntaxError).",
     "cause": "the page's formatting.",
     "fix": "Restore the indentation from Nielsen's network.py (as this module does).",
     "test": None},
]
BUGS = frozenset(e["id"] for e in LEDGER if e["kind"] != "text")

REMARKS = [
    {"id": "R1", "kind": "text", "where": "the sentence after backprop",
     "quote": "其中,传入的x和y是一个单独的实例。",
     "translation": "here the x and y passed in are a single example",
     "remark": "x must be a column of shape (n_in, 1): a 1-D x of shape (n_in,) makes "
               "np.dot(w, x) + b broadcast silently to (n_out, n_out)"},
    {"id": "R2", "kind": "run", "where": "sigmoid",
     "quote": "np.exp(z)",
     "remark": "np.exp overflows (a RuntimeWarning, harmless result 0 or 1) for |z| > 709, "
               "in Nielsen's original too; bplab.sigmoid avoids it"},
    {"id": "R3", "kind": "report", "where": "the case's result",
     "quote": "(Nielsen's Network.__init__, not shown in the post)",
     "remark": "Nielsen's initial weights are random, so the test accuracy after training "
               "depends on the seed; the chapter shows its spread over seeds"},
]


class _Failure(Exception):
    """Internal: carries the ledger entry a failure belongs to."""


@contextmanager
def _ledger(entry):
    """Tag any exception raised inside with the ledger entry it belongs to."""
    try:
        yield
    except Exception as exc:
        if not hasattr(exc, "bplab_ledger"):
            exc.bplab_ledger = entry
        raise


def sigmoid(z):
    r"""Nielsen's sigmoid :math:`1/(1 + e^{-z})` (the fix of N4)."""
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


def sigmoid_copied(z):
    r"""The post's sigmoid :math:`1/(1 + e^{z}) = \sigma(-z)` (ledger N4)."""
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(z))


class Network:
    """Nielsen's ``Network``, with the copy's bugs as switches.

    Parameters
    ----------
    sizes : list of int
        Units per layer, input first.
    seed : int
        Seed of the ``np.random.default_rng`` that draws biases, then weights, from
        :math:`\\mathcal N(0, 1)` as Nielsen does (he uses the global ``np.random.randn``).
    bugs : iterable of str
        Ledger ids (``"N1"`` ... ``"N4"``) to reproduce; empty for the fixed code.

    ``weights[l]`` has shape ``(sizes[l+1], sizes[l])``, ``biases[l]`` ``(sizes[l+1], 1)``.
    """

    def __init__(self, sizes, *, seed=0, bugs=()):
        bugs = frozenset(bugs)
        unknown = bugs - BUGS
        if unknown:
            raise ValueError(f"unknown ledger id(s) {sorted(unknown)}; expected some of "
                             f"{sorted(BUGS)}.")
        rng = np.random.default_rng(seed)
        self.num_layers = len(sizes)
        self.sizes = list(sizes)
        self.biases = [rng.standard_normal((y, 1)) for y in sizes[1:]]
        self.weights = [rng.standard_normal((y, x)) for x, y in zip(sizes[:-1], sizes[1:])]
        self.bugs = bugs

    def _sigmoid(self, z):
        return sigmoid_copied(z) if "N4" in self.bugs else sigmoid(z)

    def _sigmoid_prime(self, z):
        # as the post: sigmoid(z) * (1 - sigmoid(z)), of whichever sigmoid is in use
        return self._sigmoid(z) * (1 - self._sigmoid(z))

    def feedforward(self, a):
        """The output for ``a`` of shape ``(n_in, m)`` (columns are samples)."""
        for b, w in zip(self.biases, self.weights):
            a = self._sigmoid(np.dot(w, a) + b)
        return a

    @staticmethod
    def cost_derivative(output_activations, y):
        r""":math:`\partial C_x / \partial a^{(L)} = a^{(L)} - y`."""
        return output_activations - y

    def forward(self, x):
        """``(activations, zs)`` for ``x`` of shape ``(n_in, 1)``: the lists backprop keeps."""
        activation = x
        activations = [x]                     # every layer's activation, input first
        zs = []                               # every layer's pre-activation
        for b, w in zip(self.biases, self.weights):
            z = np.dot(w, activation) + b
            zs.append(z)
            activation = self._sigmoid(z)
            activations.append(activation)
        return activations, zs

    def output_delta(self, activations, zs, y):
        r""":math:`\delta^{(L)} = (a^{(L)} - y) \odot \sigma'(z^{(L)})`, shape ``(n_out, 1)``
        (with N1: of ``zs[:-1]``, every pre-activation but the last)."""
        with _ledger("N1"):
            z_out = zs[:-1] if "N1" in self.bugs else zs[-1]
            return self.cost_derivative(activations[-1], y) * self._sigmoid_prime(z_out)

    def backprop(self, x, y):
        """``(nabla_b, nabla_w)``: the gradient of :math:`C_x` for one sample ``x`` (n_in, 1)."""
        nabla_b = [np.zeros(b.shape) for b in self.biases]
        nabla_w = [np.zeros(w.shape) for w in self.weights]
        activations, zs = self.forward(x)
        delta = self.output_delta(activations, zs, y)
        with _ledger("N1"):
            nabla_b[-1] = delta
            nabla_w[-1] = np.dot(delta, activations[-2].transpose())
        with _ledger("N2"):
            layers = xrange if "N2" in self.bugs else range  # noqa: F821  (the N2 bug)
        for l in layers(2, self.num_layers):
            z = zs[-l]
            sp = self._sigmoid_prime(z)
            with _ledger("N3"):
                W_next = (self.weight if "N3" in self.bugs else self.weights)[-l + 1]
            with _ledger("N1"):               # only a wrongly shaped delta can fail here
                delta = np.dot(W_next.transpose(), delta) * sp
            nabla_b[-l] = delta
            nabla_w[-l] = np.dot(delta, activations[-l - 1].transpose())
        return nabla_b, nabla_w

    def update_mini_batch(self, mini_batch, eta):
        """One step of gradient descent on the mean of the batch's :math:`C_x` (Nielsen's)."""
        nabla_b = [np.zeros(b.shape) for b in self.biases]
        nabla_w = [np.zeros(w.shape) for w in self.weights]
        for x, y in mini_batch:
            delta_nabla_b, delta_nabla_w = self.backprop(x, y)
            nabla_b = [nb + dnb for nb, dnb in zip(nabla_b, delta_nabla_b)]
            nabla_w = [nw + dnw for nw, dnw in zip(nabla_w, delta_nabla_w)]
        self.weights = [w - (eta / len(mini_batch)) * nw for w, nw in zip(self.weights, nabla_w)]
        self.biases = [b - (eta / len(mini_batch)) * nb for b, nb in zip(self.biases, nabla_b)]

    def cost(self, X, Y) -> float:
        r"""Mean quadratic cost :math:`\frac1m\sum_x \tfrac12\lVert a^{(L)}(x) - y\rVert^2`."""
        return float(0.5 * np.sum((self.feedforward(X) - Y) ** 2) / X.shape[1])

    def accuracy(self, X, labels) -> float:
        """Fraction of columns of ``X`` whose largest output is the right digit."""
        return float(np.mean(np.argmax(self.feedforward(X), axis=0) == labels))


def error_info(exc) -> dict:
    """``{"type", "message", "ledger", "where"}`` for an exception raised by the copied code."""
    import traceback

    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == __file__]
    return {"type": type(exc).__name__, "message": str(exc),
            "ledger": getattr(exc, "bplab_ledger", None),
            "where": f"{frames[-1].name}: {frames[-1].line}" if frames else None}


def sgd(net, data, *, epochs, eta, mini_batch_size=MINI_BATCH_SIZE, seed=0):
    """Nielsen's ``SGD`` on ``data`` (a :class:`bplab.datasets.Digits`), recording per epoch.

    Returns a dict with ``losses`` (training cost after each epoch), ``test_accuracy`` (after
    each epoch, what Nielsen prints), ``epochs`` (completed) and ``error`` (``None`` or the
    first exception, as :func:`error_info`). Shuffles with ``np.random.default_rng(seed)``.
    """
    rng = np.random.default_rng(seed)
    X, Y = data.X_train, data.Y_train
    training = [(X[:, [i]], Y[:, [i]]) for i in range(X.shape[1])]
    losses, accuracy, error, done = [], [], None, 0
    for _ in range(epochs):
        order = rng.permutation(len(training))
        batches = [[training[i] for i in order[k:k + mini_batch_size]]
                   for k in range(0, len(training), mini_batch_size)]
        try:
            for batch in batches:
                net.update_mini_batch(batch, eta)
            losses.append(net.cost(X, Y))
            accuracy.append(net.accuracy(data.X_test, data.labels_test))
        except Exception as exc:              # the copied code failing, as it would
            error = error_info(exc)
            break
        done += 1
    return {"losses": losses, "test_accuracy": accuracy, "epochs": done, "error": error}


def _check_options(variant, options, seed=0):
    check_variant(variant)
    check_seed(seed, allow_none=True)
    opts = merge_options(NAME, OPTIONS, options)
    sizes = opts["sizes"]
    if (not isinstance(sizes, (list, tuple)) or len(sizes) < 2
            or not all(isinstance(n, (int, np.integer)) and n >= 1 for n in sizes)
            or sizes[0] != 64 or sizes[-1] != 10):
        raise ValueError(f"sizes for the digits data must start with 64 (pixels) and end with "
                         f"10 (digits), e.g. [64, 30, 10]; got {sizes!r}.")
    return [int(n) for n in sizes], float(opts["lr"]), int(opts["steps"])


def run(variant="fixed", *, seed=0, **options) -> dict:
    """Train Nielsen's network with mini-batch SGD on the digits (``variant`` ``"original"``:
    with every bug of the copy; ``"fixed"``: with none).

    Options: ``sizes`` (default [64, 30, 10]), ``lr`` (Nielsen's eta, 3.0), ``steps`` (epochs,
    20); mini-batches of 10 and the quadratic cost, as Nielsen. Returns a JSON-ready dict.
    """
    from bplab.datasets import digits

    sizes, lr, epochs = _check_options(variant, options, seed)
    net = Network(sizes, seed=seed, bugs=BUGS if variant == "original" else ())
    data = digits()
    out = sgd(net, data, epochs=epochs, eta=lr, seed=seed)
    acc = out["test_accuracy"]
    result = {
        "epochs": out["epochs"], "mini_batch_size": MINI_BATCH_SIZE,
        "test_accuracy": acc[-1] if acc else None,
        "test_accuracy_per_epoch": acc,
        "converged": bool(acc) and acc[-1] >= 0.9,
        "n_train": int(data.X_train.shape[1]), "n_test": int(data.X_test.shape[1]),
        "weights": [w.tolist() for w in net.weights] if out["error"] is None else None,
        "biases": [b.ravel().tolist() for b in net.biases] if out["error"] is None else None,
    }
    return {"example": NAME, "variant": variant, "seed": seed,
            "options": {"sizes": sizes, "lr": lr, "steps": epochs},
            "losses": out["losses"], "recorded_every": 1, "recorded_unit": "epoch",
            "loss_name": "mean quadratic cost 1/(2m) sum ||a - y||^2 on the training set",
            "error": out["error"], "result": result}
