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
    {"id": "forward-feeds-x", "kind": "run", "where": "forward: the hidden-layer loop",
     "quote": 'z_temp =parameters["w"+str(i)].dot(x) + parameters["b"+str(i)]',
     "symptom": "With two hidden layers, e.g. sizes [1, 25, 10, 1], the first step raises "
                "ValueError: shapes (10,25) and (1,100) not aligned.",
     "cause": "Every hidden layer is fed the network input x instead of the previous "
              "layer's activation a[i-1]; with one hidden layer the two coincide, so the "
              "document's own run cannot show it.",
     "fix": "Feed a[i-1] (a^(l-1)) into layer i, as bp.MLP.forward does.",
     "test": "tests/test_examples_sine.py::test_forward_feeds_previous_activation"},
    {"id": "all-positive-init", "kind": "run", "where": "init_parameters",
     "quote": 'parameters["w"+str(i)] = np.random.random([layers_dim[i],layers_dim[i-1]])',
     "symptom": "With two hidden layers the second hidden layer starts saturated (z about 7, "
                "sigma'(z) < 0.01) and training stalls at the loss of a constant prediction, "
                "200 = mean(y^2).",
     "cause": "Weights drawn from [0, 1): all positive, not scaled by the fan-in, so the 25 "
              "positive sigmoid outputs (0.56 on average) add up to a large pre-activation.",
     "fix": "Zero-mean weights scaled by the fan-in, N(0, 1/n_in) (bp.MLP's init='scaled'), "
            "zero biases as before.",
     "test": "tests/test_examples_sine.py::test_init_does_not_saturate_deeper_layers"},
    {"id": "printed-loss-is-not-the-differentiated-one", "kind": "report",
     "where": "the comment above backward; backward; compute_loss",
     "quote": "# 返回的grades代表着误差对所有的w以及b的导数\n"
              'grades["dz"+str(layers)] = al - y\n'
              "return np.mean(np.square(al-y))",
     "translation": "the returned grades are the derivatives of the error (误差) with respect "
                    "to every w and b",
     "symptom": "The page calls the returned gradients the derivatives of the error and "
                "prints the mean squared error as that error (compute_loss, '计算误差值'); "
                "a gradient check against the printed number fails on every array: the "
                "gradients are exactly 1/2 of its finite differences.",
     "cause": "backward starts from al - y, without the 2 of d/dA (A - Y)^2: it is exactly "
              "the gradient of C = MSE/2, and right for that loss. The gradient is not "
              "wrong; the report names the wrong loss, off by the factor 1/2.",
     "fix": "Say what is minimised: the fixed variant keeps the update and names its "
            "objective C = MSE/2; the printed metric stays the MSE, called that. (Doubling "
            "the gradient at lr 0.3 instead makes a different, much worse run.)",
     "test": "tests/test_examples_sine.py::test_gradient_matches_the_stated_objective"},
    {"id": "bias-misspelt", "kind": "text",
     "where": "comments above init_parameters, forward, backward and update_grades (4 times)",
     "quote": "# 生成权重以及偏执项",
     "translation": "generate the weights and the 'paranoia terms'",
     "symptom": "偏执 (paranoia, bigotry) stands for 偏置 (bias) in all four comments that "
                "name the bias.",
     "cause": "a homophone typo (both piānzhì), repeated.",
     "fix": "偏置项 / 偏置 (bias).", "test": None},
    {"id": "layers-and-units", "kind": "text", "where": "the comment above init_parameters",
     "quote": "#比如[2,3,1]代表一个三成的网络,输入为2层,中间为3层输出为1层",
     "translation": "e.g. [2,3,1] stands for a 'thirty per cent' network, the input is 2 "
                    "layers, the middle 3 layers, the output 1 layer",
     "symptom": "三成 (thirty per cent) for 三层 (three layers); and the list counts units "
                "(神经元, as the comment's first line says), not layers.",
     "cause": "a homophone typo (sānchéng / sāncéng), and 层 (layer) written for "
              "个神经元 (units).",
     "fix": "一个三层的网络:输入层2个神经元,中间层3个,输出层1个 (a three-layer network "
            "with 2, 3 and 1 units).", "test": None},
    {"id": "output-after-backprop", "kind": "text", "where": "the comment above backward",
     "quote": "# al是经过反向传播后最后一层的输出",
     "translation": "al is the last layer's output after backpropagation",
     "symptom": "al is the output of the forward pass (forward returns it); backward only "
                "reads it.",
     "cause": "forward and backward propagation confused in the comment.",
     "fix": "al是前向传播得到的最后一层的输出 (the last layer's output from the forward "
            "pass).", "test": None},
    {"id": "formulas-and-result-missing", "kind": "text",
     "where": "a comment in backward; the page's result",
     "quote": "# 就是按照上面的图片中的公式写的\n运行结果:\n在这里插入图片描述",
     "translation": "written exactly by the formulas in the picture above … Result of the "
                    "run: … 'insert image description here'",
     "symptom": "The page shows no formulas (the picture is not there) and its only result "
                "is the blog editor's placeholder for an image: a reader can check neither "
                "the equations the code follows nor the result it claims.",
     "cause": "images lost or never uploaded; the placeholder text was published.",
     "fix": "Write the equations in the text and print the result (this case runs it).",
     "test": None},
    {"id": "again-misspelt", "kind": "text", "where": "the introduction",
     "quote": "这样的话在进行前向传播就会发现其输出和你想要的输出越来越接近了",
     "translation": "then, 'at' doing forward propagation, you find its output closer and "
                    "closer to the one you want",
     "symptom": "在 (at, in) for 再 (again): the sentence means 'when you run the forward "
                "pass again'.",
     "cause": "a homophone typo (both zài).",
     "fix": "这样的话再进行前向传播……", "test": None},
    {"id": "update-grades", "kind": "text", "where": "update_grades",
     "quote": "def update_grades(parameters,grades,learning_rate):",
     "symptom": "The function's name says it updates the gradients; it updates the "
                "parameters. 'grades' (marks) is used throughout for 'grads'.",
     "cause": "naming.",
     "fix": "update_parameters(parameters, grads, learning_rate).", "test": None},
    {"id": "lost-line-breaks", "kind": "text", "where": "every function of the code",
     "quote": "def init_parameters(layers_dim):L = len(layers_dim)parameters ={}",
     "symptom": "The published code lost its line breaks: each function is printed on one "
                "line, which Python rejects (SyntaxError).",
     "cause": "the page's formatting; the structure is recoverable from the statements.",
     "fix": "Restore the lines and indentation (as this module does).", "test": None},
]

REMARKS = [
    {"id": "stale-final-output", "kind": "report", "where": "the training loop",
     "quote": "if i %100 ==0:print(compute_loss(al, y))\nplt.scatter(x,al)",
     "remark": "Each printed loss belongs to the parameters before that step's update, and "
               "the plotted al to those before the last update; the loss after training is "
               "never computed. The page claims nothing about these numbers, so this is a "
               "remark, not a defect; this module reports result['final_loss'] after the "
               "last update."},
    {"id": "unseeded", "kind": "run", "where": "init_parameters",
     "quote": "np.random.random([layers_dim[i],layers_dim[i-1]])",
     "remark": "The global, unseeded random state makes every run different, so the final "
               "loss depends on the draw (the chapter shows five seeds). Here "
               "np.random.default_rng(seed).random draws the same shapes reproducibly. In "
               "Case 004 this is a ledger entry, because that page prints a result to "
               "reproduce; this page shows none (entry 7)."},
    {"id": "loader-plots", "kind": "run", "where": "load_data",
     "quote": "plt.scatter(x,y)\nreturn x,y",
     "remark": "load_data draws a scatter plot as a side effect and the script then draws "
               "the same points again: a data loader should only load."},
    {"id": "recomputed-sigmoid", "kind": "run", "where": "backward",
     "quote": 'sigmoid_prime(caches["z"][i])',
     "remark": "The backward pass recomputes sigma(z) although the cache holds a = sigma(z): "
               "a(1 - a) is the same number, for free."},
    {"id": "unused", "kind": "run", "where": "the imports; before the loop",
     "quote": "from tqdm import tqdm\nal = 0",
     "remark": "tqdm is imported and al initialised, and neither is used."},
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
