r"""A small reverse-mode automatic differentiation engine on numpy arrays.

It does what ``loss.backward()`` does in PyTorch, in the style of micrograd but for arrays
(see the chapter "Automatic differentiation"). Every operation returns a new
:class:`Tensor` that remembers its parents and, next to its forward value, the *local*
derivative of the operation as a vector-Jacobian product: a function that turns
:math:`\bar{y} = \partial C/\partial y` into :math:`\partial C/\partial x` for each parent
:math:`x`. :meth:`Tensor.backward` visits the graph in reverse topological order and applies
the chain rule

.. math::

    \frac{\partial C}{\partial x} = \sum_{y \,\in\, \text{children}(x)}
        \bar{y}\,\frac{\partial y}{\partial x}.

Broadcasting is handled in one place: a gradient that arrives with a broadcast shape is
summed back to its parent's shape (:func:`unbroadcast`).

>>> import numpy as np
>>> from bplab.autodiff import Tensor, sigmoid
>>> W = Tensor(np.array([[0.2, 0.5], [-0.4, 0.6]]))
>>> x = Tensor(np.array([[0.5], [0.3]]))
>>> loss = sigmoid(W @ x).sum()
>>> loss.backward()
>>> W.grad.shape
(2, 2)
"""
from __future__ import annotations

import numpy as np

from bplab import activations as _act
from bplab.losses import _EPS, _LOG_FLOOR

__all__ = ["Tensor", "unbroadcast", "topological_order", "sigmoid", "tanh", "relu", "step",
           "identity", "exp", "log", "square", "binary_cross_entropy", "mlp_gradients"]


def unbroadcast(grad: np.ndarray, shape) -> np.ndarray:
    """Sum ``grad`` down to ``shape``: the adjoint of numpy broadcasting.

    A value broadcast along an axis was used once per position along it, so its gradient is
    the sum over that axis (e.g. a bias of shape ``(n, 1)`` added to ``(n, m)``).
    """
    while grad.ndim > len(shape):                 # leading axes that broadcasting added
        grad = grad.sum(axis=0)
    for axis, n in enumerate(shape):              # axes of length 1 that were stretched
        if n == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


class Tensor:
    """An ndarray with a gradient and a record of how it was computed.

    Parameters
    ----------
    data : array-like
        The value; integers are converted to float64, float32 stays float32.
    parents : tuple of (Tensor, callable)
        For each input of the operation that made this tensor, the function that maps this
        tensor's gradient (shape ``data.shape``) to that input's gradient.
    op : str
        Name of the operation, for display.

    Attributes
    ----------
    data : ndarray
    grad : ndarray of shape ``data.shape``
        :math:`\\partial C/\\partial` ``data`` after :meth:`backward` (zeros before). Gradients
        of leaves accumulate over calls to :meth:`backward`, as in PyTorch.
    """

    def __init__(self, data, parents=(), op=""):
        data = np.asarray(data)
        if not np.issubdtype(data.dtype, np.floating):
            data = data.astype(np.float64)
        self.data = data
        self.grad = np.zeros_like(data)
        self.parents = tuple(parents)
        self.op = op

    shape = property(lambda self: self.data.shape)
    ndim = property(lambda self: self.data.ndim)
    size = property(lambda self: self.data.size)

    def __repr__(self):
        return f"Tensor(shape={self.shape}, op={self.op or 'leaf'!r})"

    def _lift(self, other) -> "Tensor":
        if isinstance(other, Tensor):
            return other
        return Tensor(np.asarray(other, dtype=self.data.dtype))

    # -- operations: forward value and local derivative side by side --------------------
    def __add__(self, other):
        other = self._lift(other)
        return Tensor(self.data + other.data, ((self, lambda g: g), (other, lambda g: g)), "+")

    def __neg__(self):
        return Tensor(-self.data, ((self, lambda g: -g),), "neg")

    def __sub__(self, other):
        other = self._lift(other)
        return Tensor(self.data - other.data, ((self, lambda g: g), (other, lambda g: -g)),
                      "-")

    def __mul__(self, other):
        other = self._lift(other)
        return Tensor(self.data * other.data, ((self, lambda g: g * other.data),
                                               (other, lambda g: g * self.data)), "*")

    def __truediv__(self, other):
        other = self._lift(other)
        return Tensor(self.data / other.data,
                      ((self, lambda g: g / other.data),
                       (other, lambda g: -g * self.data / other.data ** 2)), "/")

    def __matmul__(self, other):
        other = self._lift(other)
        if self.ndim != 2 or other.ndim != 2:
            raise ValueError(f"@ is defined here for 2-D tensors only; got shapes {self.shape} "
                             f"and {other.shape}. Reshape vectors to columns, e.g. "
                             f"x.reshape(-1, 1).")
        # y = A B:  dC/dA = g B^T,  dC/dB = A^T g
        return Tensor(self.data @ other.data, ((self, lambda g: g @ other.data.T),
                                               (other, lambda g: self.data.T @ g)), "@")

    __radd__ = __add__
    __rmul__ = __mul__

    def __rsub__(self, other):
        return self._lift(other) - self

    def __rtruediv__(self, other):
        return self._lift(other) / self

    @property
    def T(self):
        return Tensor(self.data.T, ((self, lambda g: g.T),), "T")

    def sum(self, axis=None, keepdims=False):
        """Sum over ``axis`` (all axes by default); the gradient is copied back along it."""
        shape = self.shape

        def back(g):
            if axis is not None and not keepdims:
                g = np.expand_dims(g, axis)
            return np.broadcast_to(g, shape)
        return Tensor(self.data.sum(axis=axis, keepdims=keepdims), ((self, back),), "sum")

    def mean(self, axis=None, keepdims=False):
        """Mean over ``axis`` (all entries by default): a sum divided by the count."""
        total = self.sum(axis=axis, keepdims=keepdims)
        return total * (1.0 / (self.size // total.size))

    # -- the chain rule ----------------------------------------------------------------
    def backward(self, grad=None):
        """Fill ``.grad`` of every tensor this one depends on with :math:`\\partial C/\\partial x`.

        ``grad`` is the seed :math:`\\partial C/\\partial` ``self``; it may be omitted when
        ``self`` holds a single number (a loss), and is then 1.
        """
        if grad is None:
            if self.size != 1:
                raise ValueError(f"backward() without a seed gradient needs a single number "
                                 f"(a loss); this tensor has shape {self.shape}. Reduce it "
                                 f"first (e.g. .sum()) or pass grad= of that shape.")
            grad = np.ones_like(self.data)
        grad = np.asarray(grad, dtype=self.data.dtype)
        if grad.shape != self.shape:
            raise ValueError(f"the seed gradient must have this tensor's shape {self.shape}; "
                             f"got {grad.shape}.")
        # The tape: every node once, each after all nodes that use it (reverse topological
        # order). A node's gradient is complete when it is visited, so it is passed on to
        # its parents through each operation's local derivative, summed over broadcasting.
        order = topological_order(self)
        for node in order:
            if node.parents:
                node.grad = np.zeros_like(node.data)
        self.grad = self.grad + grad
        for node in reversed(order):
            for parent, local in node.parents:
                parent.grad = parent.grad + unbroadcast(local(node.grad), parent.shape)


def topological_order(root: Tensor) -> list:
    """Every tensor ``root`` depends on, inputs first and ``root`` last (the tape)."""
    order, seen, stack = [], set(), [(root, False)]
    while stack:                                  # depth first, without recursion limits
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((p, False) for p, _ in reversed(node.parents))
    return order


# -- elementwise functions, each with its local derivative --------------------------------
def _unary(x, value, local, op):
    x = x if isinstance(x, Tensor) else Tensor(x)
    return Tensor(value, ((x, local),), op)


def sigmoid(x):
    r""":math:`\sigma(x)`, with :math:`\sigma' = \sigma(1 - \sigma)`."""
    x = x if isinstance(x, Tensor) else Tensor(x)
    s = _act.sigmoid(x.data)
    return _unary(x, s, lambda g: g * s * (1.0 - s), "sigmoid")


def tanh(x):
    r""":math:`\tanh x`, with :math:`\tanh' = 1 - \tanh^2`."""
    x = x if isinstance(x, Tensor) else Tensor(x)
    t = np.tanh(x.data)
    return _unary(x, t, lambda g: g * (1.0 - t * t), "tanh")


def relu(x):
    r""":math:`\max(0, x)`, with derivative 1 where :math:`x > 0`, else 0."""
    x = x if isinstance(x, Tensor) else Tensor(x)
    return _unary(x, np.maximum(x.data, 0.0), lambda g: g * (x.data > 0), "relu")


def step(x):
    r"""Heaviside step (1 where :math:`x > 0`): its derivative is 0, so no gradient passes."""
    x = x if isinstance(x, Tensor) else Tensor(x)
    return _unary(x, (x.data > 0).astype(x.data.dtype), lambda g: np.zeros_like(g), "step")


def identity(x):
    """:math:`f(x) = x`: returns ``x`` itself (no node is added)."""
    return x if isinstance(x, Tensor) else Tensor(x)


def exp(x):
    r""":math:`e^x`, its own derivative."""
    x = x if isinstance(x, Tensor) else Tensor(x)
    e = np.exp(x.data)
    return _unary(x, e, lambda g: g * e, "exp")


def log(x):
    r""":math:`\ln x`, with derivative :math:`1/x`."""
    x = x if isinstance(x, Tensor) else Tensor(x)
    return _unary(x, np.log(x.data), lambda g: g / x.data, "log")


def square(x):
    r""":math:`x^2`, with derivative :math:`2x`."""
    x = x if isinstance(x, Tensor) else Tensor(x)
    return _unary(x, x.data * x.data, lambda g: g * 2.0 * x.data, "square")


def binary_cross_entropy(A, Y):
    r"""Mean binary cross-entropy of outputs ``A`` in [0, 1] against targets ``Y``.

    One operation, as in PyTorch's ``BCELoss``, with the same clamping as
    :func:`bplab.losses.cross_entropy`: logs at -100 and :math:`A(1-A)` at 1e-12 in

    .. math:: \frac{\partial C}{\partial A} = \frac{A - Y}{A(1 - A)}\,\frac1N .

    ``Y`` is a constant (no gradient flows into it).
    """
    A = A if isinstance(A, Tensor) else Tensor(A)
    a = A.data
    y = Y.data if isinstance(Y, Tensor) else np.asarray(Y, dtype=a.dtype)
    with np.errstate(divide="ignore"):
        log_a = np.maximum(np.log(a), _LOG_FLOOR)
        log_1a = np.maximum(np.log(1.0 - a), _LOG_FLOOR)
    value = -np.mean(y * log_a + (1.0 - y) * log_1a)
    return _unary(A, value,
                  lambda g: g * (a - y) / np.maximum(a * (1.0 - a), _EPS) / a.size, "bce")


_ACTIVATIONS = {"sigmoid": sigmoid, "tanh": tanh, "relu": relu, "step": step,
                "identity": identity}


def mlp_gradients(net, X, Y):
    """Rebuild ``net``'s forward pass and loss in this engine and differentiate it.

    An independent check of the hand-written :meth:`bplab.MLP.gradients`: nothing of the
    network's backward pass is used, only its weights, activations' names and loss name.

    Parameters
    ----------
    net : MLP
    X, Y : array-like of shape (n_in, m) and (n_out, m)

    Returns
    -------
    loss : float
    dW, db : lists of ndarray
        Shaped like ``net.weights`` and ``net.biases``.
    """
    X = net._check_X(X)
    Y = net._check_Y(Y, X.shape[1])
    for f in net.activations:
        if f.name not in _ACTIVATIONS:
            raise ValueError(f"mlp_gradients knows the activations "
                             f"{sorted(_ACTIVATIONS)}; the network uses {f.name!r}.")
    Ws = [Tensor(W) for W in net.weights]
    bs = [Tensor(b) for b in net.biases]
    a = Tensor(X)
    for W, b, f in zip(Ws, bs, net.activations):
        a = _ACTIVATIONS[f.name](W @ a + b)           # z = W a + b,  a = f(z)
    if net.loss_name == "mse":
        loss = square(a - Y).mean()
    elif net.loss_name == "half_sse":
        loss = 0.5 * square(a - Y).sum()
    else:
        loss = binary_cross_entropy(a, Y)
    loss.backward()
    return float(loss.data), [W.grad for W in Ws], [b.grad for b in bs]
