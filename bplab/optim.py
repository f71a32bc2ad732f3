r"""Optimisers with ``torch.optim``'s semantics: ``SGD`` (momentum, Nesterov, weight decay),
``Adam`` and ``AdamW``.

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

__all__ = ["Optimizer", "SGD", "Adam", "AdamW"]


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
