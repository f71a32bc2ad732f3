r"""Optimisers with ``torch.optim``'s semantics: ``SGD`` (momentum, Nesterov, weight decay),
``Adam`` and ``AdamW``; and :func:`clip_grad_norm`, ``torch.nn.utils.clip_grad_norm_``.

Each takes the model's parameters — ``model.parameters()``, ``(name, array)`` pairs, or plain
arrays — and updates them *in place* from the gradients passed to :meth:`Optimizer.step`: a
dict by name (what ``Sequential.backward`` returns) or a list in the order of the parameters.
The state (momentum buffers, moments) belongs to the optimiser, so there is no gradient to
zero between steps: every ``step`` uses the gradients it is given.

>>> import numpy as np, bplab as bp
>>> from bplab.layers import Linear, Tanh, MSELoss
>>> model = bp.Sequential(Linear(2, 4), Tanh(), Linear(4, 1), loss=MSELoss())
>>> opt = bp.optim.Adam(model.parameters(), lr=1e-2)
>>> X, Y = np.ones((3, 2)), np.zeros((3, 1))
>>> for _ in range(5):
...     loss, grads = model.gradients(X, Y)
...     opt.step(grads)
"""
from __future__ import annotations

import numbers

import numpy as np

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "clip_grad_norm"]


def _nonneg(cls, name, value, upper=None):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not value >= 0 or (
            upper is not None and not value < upper):
        bound = f"in [0, {upper})" if upper is not None else ">= 0"
        raise ValueError(f"{cls}: {name} must be a number {bound}; got {value!r}.")
    return float(value)


class Optimizer:
    """Base class: the parameters by name, and :meth:`step` dispatching to ``_update``."""

    def __init__(self, params, lr):
        cls = type(self).__name__
        pairs = [p if isinstance(p, tuple) else (str(i), p) for i, p in enumerate(params)]
        if not pairs:
            raise ValueError(f"{cls}: got no parameters. Pass model.parameters().")
        for name, p in pairs:
            if not isinstance(p, np.ndarray) or not np.issubdtype(p.dtype, np.floating):
                raise TypeError(f"{cls}: parameter {name!r} must be a float numpy array "
                                f"(updated in place); got {type(p).__name__}.")
        self.names = [n for n, _ in pairs]
        self.params = [p for _, p in pairs]
        if isinstance(lr, bool) or not isinstance(lr, numbers.Real) or not lr > 0:
            raise ValueError(f"{cls}: lr must be a positive number; got {lr!r}.")
        self.lr = float(lr)
        self.state = [{} for _ in self.params]
        self.steps = 0

    def step(self, grads):
        """Update every parameter in place from ``grads`` (dict by name, or a list)."""
        cls = type(self).__name__
        if isinstance(grads, dict):
            missing = [n for n in self.names if n not in grads]
            if missing:
                raise ValueError(f"{cls}.step: no gradient for {missing}; grads has "
                                 f"{sorted(grads)}.")
            grads = [grads[n] for n in self.names]
        grads = list(grads)
        if len(grads) != len(self.params):
            raise ValueError(f"{cls}.step: expected {len(self.params)} gradients, one per "
                             f"parameter; got {len(grads)}.")
        self.steps += 1
        for name, p, g, state in zip(self.names, self.params, grads, self.state):
            g = np.asarray(g)
            if g.shape != p.shape:
                raise ValueError(f"{cls}.step: the gradient of {name!r} must have the "
                                 f"parameter's shape {p.shape}; got {g.shape}.")
            self._update(p, g, state)


class SGD(Optimizer):
    r"""Stochastic gradient descent, as ``torch.optim.SGD`` (dampening 0):

    .. math::

        g \leftarrow \nabla_\theta C + \lambda\theta, \qquad
        v \leftarrow \mu v + g \ (v = g \text{ at the first step}), \qquad
        \theta \leftarrow \theta - \eta\,(g + \mu v \text{ if Nesterov, else } v)

    with learning rate :math:`\eta` (``lr``), momentum :math:`\mu`, weight decay
    :math:`\lambda`. With :math:`\mu = \lambda = 0` it is :math:`\theta \leftarrow \theta -
    \eta g`, the step of :func:`bplab.train`.
    """

    def __init__(self, params, lr, *, momentum=0.0, weight_decay=0.0, nesterov=False):
        super().__init__(params, lr)
        self.momentum = _nonneg("SGD", "momentum", momentum)
        self.weight_decay = _nonneg("SGD", "weight_decay", weight_decay)
        if nesterov and self.momentum == 0:
            raise ValueError("SGD: nesterov=True needs a momentum > 0.")
        self.nesterov = bool(nesterov)

    def _update(self, p, g, state):
        if self.weight_decay:
            g = g + self.weight_decay * p
        if self.momentum:
            v = state.get("v")
            v = state["v"] = g.copy() if v is None else self.momentum * v + g
            g = g + self.momentum * v if self.nesterov else v
        p -= self.lr * g


class Adam(Optimizer):
    r"""Adam, as ``torch.optim.Adam``: with :math:`g = \nabla_\theta C + \lambda\theta` and
    step :math:`t = 1, 2, \dots`

    .. math::

        m \leftarrow \beta_1 m + (1-\beta_1) g, \qquad
        v \leftarrow \beta_2 v + (1-\beta_2) g^2, \qquad
        \theta \leftarrow \theta - \frac{\eta}{1-\beta_1^t}\,
            \frac{m}{\sqrt{v}/\sqrt{1-\beta_2^t} + \epsilon} .
    """

    decoupled = False

    def __init__(self, params, lr=1e-3, *, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        super().__init__(params, lr)
        cls = type(self).__name__
        self.beta1 = _nonneg(cls, "betas[0]", betas[0], 1.0)
        self.beta2 = _nonneg(cls, "betas[1]", betas[1], 1.0)
        self.eps = _nonneg(cls, "eps", eps)
        self.weight_decay = _nonneg(cls, "weight_decay", weight_decay)

    def _update(self, p, g, state):
        if self.weight_decay:
            if self.decoupled:
                p *= 1.0 - self.lr * self.weight_decay        # AdamW: decay the weights
            else:
                g = g + self.weight_decay * p                 # Adam: decay in the gradient
        if not state:
            state["m"], state["v"] = np.zeros_like(p), np.zeros_like(p)
        m, v, t = state["m"], state["v"], self.steps
        m += (1.0 - self.beta1) * (g - m)                     # = beta1 m + (1 - beta1) g
        v *= self.beta2
        v += (1.0 - self.beta2) * g * g
        denom = np.sqrt(v) / np.sqrt(1.0 - self.beta2 ** t) + self.eps
        p -= self.lr / (1.0 - self.beta1 ** t) * (m / denom)


class AdamW(Adam):
    r"""Adam with decoupled weight decay, as ``torch.optim.AdamW``: first
    :math:`\theta \leftarrow \theta(1 - \eta\lambda)`, then the Adam step without
    :math:`\lambda` in the gradient (default :math:`\lambda = 0.01`)."""

    decoupled = True

    def __init__(self, params, lr=1e-3, *, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        super().__init__(params, lr, betas=betas, eps=eps, weight_decay=weight_decay)


def clip_grad_norm(grads, max_norm, *, norm_type=2.0, error_if_nonfinite=False):
    r"""Scale the gradients *in place* so that their joint norm is at most ``max_norm``, as
    ``torch.nn.utils.clip_grad_norm_``; return the total norm measured *before* scaling.

    The gradients of all parameters count as one long vector :math:`g`:

    .. math::

        \lVert g \rVert_p = \Big(\sum_i \lVert g_i \rVert_p^{\,p}\Big)^{1/p}, \qquad
        g_i \leftarrow g_i \cdot \min\Big(1, \frac{\tau}{\lVert g \rVert_p + 10^{-6}}\Big)

    with :math:`\tau` = ``max_norm`` (for ``norm_type=inf``, the largest :math:`|g|`). The
    direction of :math:`g` is kept; only its length is capped, which stops one exploding
    step (a recurrent net's, typically) from throwing the parameters far away.

    Parameters
    ----------
    grads : dict of str to ndarray, or a sequence of ndarrays
        What ``Sequential.gradients`` returns (or a list); float arrays, scaled in place.
    max_norm : float >= 0
    norm_type : float > 0 or ``np.inf`` (default 2)
    error_if_nonfinite : bool
        Raise if the total norm is NaN or inf (by default, as in PyTorch, the gradients are
        then scaled by NaN, which the next step's non-finite check reports).

    Returns
    -------
    float
        The total norm :math:`\lVert g \rVert_p` before clipping.

    >>> import numpy as np, bplab as bp
    >>> g = {"W": np.array([3.0, 4.0])}
    >>> bp.optim.clip_grad_norm(g, 1.0)
    5.0
    >>> np.round(g["W"], 6)
    array([0.6, 0.8])
    """
    who = "clip_grad_norm"
    items = list(grads.items()) if isinstance(grads, dict) else None
    if items is None:
        if isinstance(grads, np.ndarray):
            items = [("0", grads)]
        else:
            try:
                items = [(str(i), g) for i, g in enumerate(grads)]
            except TypeError:
                raise TypeError(f"{who}: grads must be a dict of arrays (what "
                                f"model.gradients returns) or a list of arrays; got "
                                f"{type(grads).__name__}.") from None
    for name, g in items:
        if not isinstance(g, np.ndarray) or not np.issubdtype(g.dtype, np.floating):
            raise TypeError(f"{who}: gradient {name!r} must be a float numpy array (it is "
                            f"scaled in place); got "
                            f"{type(g).__name__ if not isinstance(g, np.ndarray) else g.dtype}."
                            f" Convert it first with np.asarray(g, dtype=np.float64).")
        if not g.flags.writeable:
            raise ValueError(f"{who}: gradient {name!r} is read-only and cannot be scaled in "
                             f"place; pass a copy, g.copy().")
    if isinstance(max_norm, bool) or not isinstance(max_norm, numbers.Real) or not (
            0 <= max_norm < np.inf):
        raise ValueError(f"{who}: max_norm must be a finite number >= 0; got {max_norm!r}.")
    if isinstance(norm_type, bool) or not isinstance(norm_type, numbers.Real) or not (
            norm_type > 0):
        raise ValueError(f"{who}: norm_type must be a number > 0 or np.inf; got "
                         f"{norm_type!r}.")
    if not items:
        return 0.0
    p = float(norm_type)
    if p == np.inf:
        norms = [np.abs(g).max(initial=0.0) for _, g in items]
        total = float(max(norms))
    else:
        norms = np.array([np.linalg.norm(g.ravel(), p) for _, g in items], dtype=np.float64)
        total = float(np.linalg.norm(norms, p))
    if error_if_nonfinite and not np.isfinite(total):
        raise ValueError(f"{who}: the total norm of order {norm_type} of the gradients is "
                         f"{total}; a NaN or inf in a gradient usually comes from an overflow "
                         f"upstream (lower the learning rate), or pass "
                         f"error_if_nonfinite=False.")
    coef = float(np.minimum(float(max_norm) / (total + 1e-6), 1.0))    # NaN stays NaN
    for _, g in items:
        g *= g.dtype.type(coef)
    return total
