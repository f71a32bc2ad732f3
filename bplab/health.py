r"""Gradient health: per-layer statistics of deep networks, and their mean-field predictions.

For a network of :math:`L` fully connected layers, :math:`z^{(l)} = W^{(l)} a^{(l-1)}` and
:math:`a^{(l)} = f(z^{(l)})`, the error signal of layer :math:`l` is a product of factors

.. math::

    \delta^{(l)} = \operatorname{diag}\big(f'(z^{(l)})\big)\, W^{(l+1)\top}\, \delta^{(l+1)},

so its size changes by one factor per layer. With weights drawn from
:math:`\mathcal N(0, g/n)` for layers of width :math:`n`, each factor multiplies the variance
of the forward signal by :math:`g\,\mathbb E[f(z)^2]/\mathbb E[z^2]` and that of the backward
signal by :math:`\chi = g\,\mathbb E[f'(z)^2]` (:func:`predicted_variances`). Xavier and He
choose :math:`g` so that these factors are 1.

Arrays are batch first, as in :mod:`bplab.layers`: ``X`` of shape ``(N, n_in)``.

>>> import numpy as np, bplab.health as health
>>> model = health.deep_mlp(depth=6, width=32, activation="relu", init="he")
>>> X = np.random.default_rng(0).normal(size=(16, 32))
>>> health.layer_gradient_norms(model, X, np.zeros((16, 32))).shape
(6,)
"""
from __future__ import annotations

import numpy as np

from bplab.layers import ACTIVATION_LAYERS, Linear, MSELoss, ReLU, Sequential

__all__ = ["INITS", "weight_variance", "deep_mlp", "layer_statistics", "layer_gradient_norms",
           "predicted_variances", "dead_relu_fraction", "clip_by_global_norm"]

INITS = ("small", "standard", "xavier", "he")
_ACTIVATIONS = ("sigmoid", "tanh", "relu")


def weight_variance(init: str, n_in: int, n_out: int) -> float:
    r"""The variance of :math:`W_{ij}` under a named initialisation.

    ``"small"``: :math:`0.01^2`; ``"standard"``: 1 (:math:`\mathcal N(0, 1)`);
    ``"xavier"`` (Glorot): :math:`2/(n_{in} + n_{out})`; ``"he"``: :math:`2/n_{in}`.
    """
    rules = {"small": 1e-4, "standard": 1.0, "xavier": 2.0 / (n_in + n_out), "he": 2.0 / n_in}
    if init not in rules:
        raise ValueError(f"init must be one of {list(INITS)}; got {init!r}.")
    return rules[init]


def deep_mlp(depth: int, width: int, activation: str, init: str, *, n_in=None, n_out=None,
             seed: int = 0) -> Sequential:
    """``depth`` Linear layers of ``width`` units, ``activation`` after each but the last
    (a linear output), zero biases, weights from :func:`weight_variance`; ``MSELoss``.

    Layer ``l`` (1-based) is drawn with ``seed + l``.
    """
    if isinstance(depth, bool) or not isinstance(depth, (int, np.integer)) or depth < 1:
        raise ValueError(f"depth must be a positive integer; got {depth!r}.")
    if activation not in _ACTIVATIONS:
        raise ValueError(f"activation must be one of {list(_ACTIVATIONS)}; got "
                         f"{activation!r}.")
    sizes = [n_in or width] + [width] * (depth - 1) + [n_out or width]
    layers = []
    for l, (a, b) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        var = weight_variance(init, a, b)
        layers.append(Linear(a, b, seed=seed + l, gain=var * a))   # N(0, gain / n_in)
        if l < depth:
            layers.append(ACTIVATION_LAYERS[activation]())
    return Sequential(*layers, loss=MSELoss())


def layer_statistics(model: Sequential, X, Y=None, *, seed: int = 0) -> dict:
    r"""One forward and backward pass, measured layer by layer at every ``Linear``.

    Returns a dict of arrays of shape ``(L,)``, :math:`L` the number of ``Linear`` layers,
    :math:`l = 1, \dots, L` from the input:

    * ``"z_second_moment"``: :math:`\operatorname{mean}(z^{(l)2})`, over batch and units;
    * ``"delta_second_moment"``: :math:`\operatorname{mean}(\delta^{(l)2})`,
      :math:`\delta^{(l)} = \partial C/\partial z^{(l)}` of shape ``(N, n_l)``;
    * ``"delta_norm"``: :math:`\lVert\delta^{(l)}\rVert`, the Frobenius norm;
    * ``"dW_norm"``: :math:`\lVert\partial C/\partial W^{(l)}\rVert`;
    * ``"loss"``: the loss (a float; NaN without ``Y``).

    With ``Y=None`` the backward pass starts from a random error signal,
    :math:`\partial C/\partial\,\text{out}` drawn from :math:`\mathcal N(0, 1)` (seeded by
    ``seed``) instead of the loss's: a :math:`\delta^{(L)}` independent of the weights, as
    the mean-field derivation of :func:`predicted_variances` assumes.
    """
    if not isinstance(model, Sequential) or model.loss is None:
        got = ("a Sequential without a loss" if isinstance(model, Sequential)
               else type(model).__name__)
        raise ValueError(f"model must be a bplab Sequential with a loss, e.g. "
                         f"bplab.health.deep_mlp(...); got {got}. For a bp.MLP, pass "
                         f"bp.Sequential.from_mlp(net) and X.T.")
    if Y is None:
        X = model.check_input(X)
    else:
        X, Y = model.check_data(X, Y)
    x, caches, zs = X, [], []
    for layer in model.layers:                       # the forward pass, keeping every z
        x, cache = layer._forward(x)
        caches.append(cache)
        if isinstance(layer, Linear):
            zs.append(x)
    if Y is None:
        loss, dout = float("nan"), np.random.default_rng(seed).normal(size=x.shape)
    else:
        loss, lcache = model.loss._forward(x, Y)
        dout = model.loss._backward(lcache)
    d2, dn, wn = [], [], []
    for i in range(len(model.layers) - 1, -1, -1):
        layer = model.layers[i]
        if isinstance(layer, Linear):
            d2.append(float(np.mean(dout * dout)))
            dn.append(float(np.linalg.norm(dout)))
        dout, grads = layer._backward(dout, caches[i])
        if isinstance(layer, Linear):
            wn.append(float(np.linalg.norm(grads["W"])))
    z2 = [float(np.mean(z * z)) for z in zs]
    return {"z_second_moment": np.array(z2), "delta_second_moment": np.array(d2[::-1]),
            "delta_norm": np.array(dn[::-1]), "dW_norm": np.array(wn[::-1]),
            "loss": float(loss)}


def layer_gradient_norms(model: Sequential, X, Y=None, *, seed: int = 0) -> np.ndarray:
    r""":math:`\lVert\delta^{(l)}\rVert` for :math:`l = 1, \dots, L`, shape ``(L,)``
    (see :func:`layer_statistics` for ``Y=None``)."""
    return layer_statistics(model, X, Y, seed=seed)["delta_norm"]


def _gauss(q):
    """Nodes and weights for E[h(z)], z ~ N(0, q): the trapezoidal rule on a grid over
    +-10 standard deviations, refined on [-40, 40] where the derivatives of the sigmoid and
    tanh live (a narrow peak that a coarse grid misses when q is large). Both grids are
    symmetric with an even number of points, so that no node sits on the ReLU's kink at 0
    and E[[z > 0]] is exactly 1/2."""
    s = np.sqrt(q)
    z = np.linspace(-10 * s, 10 * s, 4000)
    if 10 * s > 40:
        z = np.union1d(z, np.linspace(-40, 40, 8000))
    width = np.gradient(z)
    w = np.exp(-0.5 * z * z / q) * width
    return z, w / w.sum()


_F = {"sigmoid": (lambda z: 1 / (1 + np.exp(-z)),
                  lambda z: np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))) ** 2),
      "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
      "relu": (lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(float))}


def predicted_variances(activation: str, gain: float, depth: int, x_second_moment: float):
    r"""Mean-field predictions for :func:`deep_mlp` with square layers and
    :math:`\operatorname{Var} W = g/n` (``gain`` :math:`= g`).

    Forward, :math:`q_1 = g\,\mathbb E[x^2]` and
    :math:`q_l = g\,\mathbb E_{z \sim \mathcal N(0, q_{l-1})}[f(z)^2]`; backward, each layer
    multiplies :math:`\mathbb E[\delta^2]` by :math:`\chi_l = g\,\mathbb E_{z \sim
    \mathcal N(0, q_l)}[f'(z)^2]`. Returns ``(q, r)``, each of shape ``(depth,)``: the
    predicted :math:`\mathbb E[z^{(l)2}]`, and :math:`\mathbb E[\delta^{(l)2}] /
    \mathbb E[\delta^{(L)2}] = \prod_{k=l}^{L-1}\chi_k` (so ``r[-1] == 1``).
    """
    if activation not in _F:
        raise ValueError(f"activation must be one of {list(_F)}; got {activation!r}.")
    f, fp = _F[activation]
    q = np.empty(depth)
    chi = np.empty(depth)
    q[0] = gain * x_second_moment
    for l in range(depth):
        z, w = _gauss(q[l])
        chi[l] = gain * float(w @ fp(z) ** 2)
        if l + 1 < depth:
            q[l + 1] = gain * float(w @ f(z) ** 2)
    r = np.ones(depth)
    for l in range(depth - 2, -1, -1):
        r[l] = r[l + 1] * chi[l]
    return q, r


def dead_relu_fraction(model: Sequential, X) -> np.ndarray:
    """Per ReLU layer, the fraction of its units that output 0 for every sample of ``X``:
    units that pass no gradient back for this data (:math:`f' = 0` everywhere)."""
    x = model.check_input(X)
    fractions = []
    for layer in model.layers:
        x, _ = layer._forward(x)
        if isinstance(layer, ReLU):
            fractions.append(float(np.mean(np.all(x == 0, axis=0))))
    return np.array(fractions)


def clip_by_global_norm(grads: dict, max_norm: float):
    r"""Gradient clipping: scale every gradient by :math:`\min(1, c/\lVert g\rVert)`, with
    :math:`\lVert g\rVert` the norm of all gradients together (PyTorch's
    ``clip_grad_norm_``). Returns ``(clipped, norm)``: a new dict and the norm before."""
    if not max_norm > 0:
        raise ValueError(f"max_norm must be a positive number; got {max_norm!r}.")
    norm = float(np.sqrt(sum(float(np.sum(g * g)) for g in grads.values())))
    scale = min(1.0, max_norm / norm) if norm > 0 else 1.0
    return {k: g * scale for k, g in grads.items()}, norm


def block_gradient_norms(model: Sequential, X, Y=None, *, seed: int = 0) -> np.ndarray:
    r""":math:`\lVert\partial C/\partial x^{(l)}\rVert` at the input :math:`x^{(l)}` of each
    top-level layer :math:`l = 1, \dots, L` of ``model``, shape ``(L,)``: the gradient that
    reaches each block of a deep stack (e.g. residual attention blocks, whose ``Linear``
    layers :func:`layer_gradient_norms` cannot see). ``Y=None``: the backward pass starts from
    a random :math:`\partial C/\partial\,\text{out}` drawn with ``seed``, as in
    :func:`layer_statistics`.
    """
    if not isinstance(model, Sequential):
        raise ValueError(f"model must be a bplab Sequential; got {type(model).__name__}.")
    if Y is None:
        X = model.check_input(X)
    elif model.loss is None:
        raise ValueError("model has no loss: pass Y=None to start from a random gradient, "
                         "or build the Sequential with loss=...")
    else:
        X, Y = model.check_data(X, Y)
    x, caches = X, []
    for layer in model.layers:
        x, cache = layer._forward(x)
        caches.append(cache)
    if Y is None:
        dout = np.random.default_rng(seed).normal(size=x.shape).astype(x.dtype)
    else:
        _, lcache = model.loss._forward(x, Y)
        dout = model.loss._backward(lcache)
    norms = []
    for i in range(len(model.layers) - 1, -1, -1):
        dout, _ = model.layers[i]._backward(dout, caches[i])
        norms.append(float(np.linalg.norm(dout)))
    return np.array(norms[::-1])


__all__ += ["block_gradient_norms"]
