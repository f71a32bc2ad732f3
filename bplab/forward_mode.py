r"""Forward-mode automatic differentiation: dual numbers and Jacobian-vector products.

Reverse mode (:mod:`bplab.autodiff`) runs the chain rule from the output back; forward mode
runs it from the input forward. A :class:`Dual` carries a value :math:`u` and its
*tangent* :math:`\dot u`, the derivative of :math:`u` along one chosen direction :math:`v`
of the input, and every operation maps both at once:

.. math::

    (u, \dot u) + (w, \dot w) = (u + w,\ \dot u + \dot w), \qquad
    (u, \dot u)\,(w, \dot w) = (u w,\ \dot u w + u \dot w), \qquad
    f\big((u, \dot u)\big) = \big(f(u),\ f'(u)\,\dot u\big) .

One forward pass from :math:`(x, v)` therefore ends with :math:`(f(x), J v)`, the
Jacobian-vector product (:func:`jvp`), without ever forming :math:`J`. For a loss
:math:`C(\theta)` with :math:`P` parameters that is one directional derivative per pass,
so the whole gradient takes :math:`P` passes (:func:`mlp_gradients`), against one forward
and one backward pass in reverse mode.

>>> import numpy as np
>>> from bplab.forward_mode import jvp, tanh
>>> value, tangent = jvp(lambda u: tanh(u) * u, np.array([0.5]), np.array([1.0]))
>>> bool(np.isclose(tangent[0], (1 - np.tanh(0.5) ** 2) * 0.5 + np.tanh(0.5)))
True
"""
from __future__ import annotations

import numpy as np

from bplab import activations as _act
from bplab import losses as _losses

__all__ = ["Dual", "jvp", "exp", "log", "sigmoid", "tanh", "relu", "identity",
           "mlp_jvp", "mlp_gradients"]


def _array(what, value):
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{what} must be a number or an array of numbers; got "
                        f"{type(value).__name__}.") from None
    return arr


class Dual:
    r"""A value ``val`` and its tangent ``dot`` (the derivative along one direction), arrays
    of the same shape. Constants (plain numbers and arrays) have tangent 0."""

    __slots__ = ("val", "dot")
    __array_ufunc__ = None          # ndarray @ Dual, 2.0 * Dual: numpy defers to Dual's rules

    def __init__(self, val, dot=None):
        self.val = _array("Dual: val", val)
        self.dot = np.zeros_like(self.val) if dot is None else _array("Dual: dot", dot)
        if self.dot.shape != self.val.shape:
            raise ValueError(f"Dual: the tangent must have the value's shape "
                             f"{self.val.shape}; got dot of shape {self.dot.shape}. Pass a "
                             f"direction shaped like the input.")

    def __repr__(self):
        return f"Dual(val={self.val!r}, dot={self.dot!r})"

    @property
    def shape(self):
        return self.val.shape

    @staticmethod
    def _lift(other) -> "Dual":
        return other if isinstance(other, Dual) else Dual(other)

    def __add__(self, other):
        other = self._lift(other)
        return Dual(self.val + other.val, self.dot + other.dot)

    __radd__ = __add__

    def __neg__(self):
        return Dual(-self.val, -self.dot)

    def __sub__(self, other):
        return self + (-self._lift(other))

    def __rsub__(self, other):
        return self._lift(other) - self

    def __mul__(self, other):                        # (uw)' = u'w + uw'
        other = self._lift(other)
        return Dual(self.val * other.val, self.dot * other.val + self.val * other.dot)

    __rmul__ = __mul__

    def __truediv__(self, other):                    # (u/w)' = (u'w - uw') / w^2
        other = self._lift(other)
        return Dual(self.val / other.val,
                    (self.dot * other.val - self.val * other.dot) / other.val ** 2)

    def __rtruediv__(self, other):
        return self._lift(other) / self

    def __matmul__(self, other):                     # (AB)' = A'B + AB'
        other = self._lift(other)
        if self.val.ndim != 2 or other.val.ndim != 2:
            raise ValueError(f"Dual: @ is defined here for 2-D arrays only; got shapes "
                             f"{self.shape} and {other.shape}. Reshape vectors to columns.")
        return Dual(self.val @ other.val, self.dot @ other.val + self.val @ other.dot)

    def __rmatmul__(self, other):
        return self._lift(other) @ self

    def __pow__(self, p):                            # (u^p)' = p u^(p-1) u'
        if isinstance(p, Dual):
            raise TypeError("Dual: only a constant exponent is supported, u ** p with p a "
                            "number.")
        return Dual(self.val ** p, p * self.val ** (p - 1) * self.dot)

    def sum(self, axis=None, keepdims=False):
        return Dual(self.val.sum(axis=axis, keepdims=keepdims),
                    self.dot.sum(axis=axis, keepdims=keepdims))

    def mean(self, axis=None, keepdims=False):
        return Dual(self.val.mean(axis=axis, keepdims=keepdims),
                    self.dot.mean(axis=axis, keepdims=keepdims))


def _unary(name, f, f_prime):
    def op(u):
        u = Dual._lift(u)
        return Dual(f(u.val), f_prime(u.val) * u.dot)   # f((u, u')) = (f(u), f'(u) u')
    op.__name__ = name
    op.__doc__ = f"``{name}`` of a :class:`Dual`: value and tangent."
    return op


exp = _unary("exp", np.exp, np.exp)
log = _unary("log", np.log, lambda u: 1.0 / u)
sigmoid = _unary("sigmoid", _act.sigmoid, _act.sigmoid_prime)
tanh = _unary("tanh", _act.tanh, _act.tanh_prime)
relu = _unary("relu", _act.relu, _act.relu_prime)
identity = _unary("identity", _act.identity, _act.identity_prime)
_ACTIVATIONS = {"sigmoid": sigmoid, "tanh": tanh, "relu": relu, "identity": identity,
                "step": _unary("step", _act.step, _act.step_prime)}


def jvp(f, x, v):
    r"""``(f(x), J v)``: the value of ``f`` at ``x`` and its derivative along ``v``, in one
    forward pass, without forming the Jacobian :math:`J = \partial f/\partial x`.

    Parameters
    ----------
    f : callable
        Maps a :class:`Dual` to a :class:`Dual` (built from ``+ - * / @ **`` and this
        module's functions).
    x, v : array-like of the same shape
        The point and the direction (the tangent of the input).

    Returns
    -------
    value, tangent : ndarray
        :math:`f(x)` and :math:`J v`, both of the shape of :math:`f(x)`.
    """
    if not callable(f):
        raise TypeError(f"jvp: f must be a function of a Dual; got {type(f).__name__}.")
    x, v = _array("jvp: x", x), _array("jvp: v", v)
    if x.shape != v.shape:
        raise ValueError(f"jvp: the direction v must have the shape of x {x.shape}; got "
                         f"{v.shape}.")
    out = f(Dual(x, v))
    if not isinstance(out, Dual):
        raise TypeError(f"jvp: f must return a Dual (compute it with Dual arithmetic and "
                        f"bplab.forward_mode's functions); got {type(out).__name__}.")
    return out.val, out.dot


def _check_net(net, name):
    from bplab.network import MLP
    if not isinstance(net, MLP):
        raise TypeError(f"{name}: net must be a bplab.MLP; got {type(net).__name__}. (For a "
                        f"Sequential, write its forward pass with Dual arithmetic and use jvp.)")
    for f in net.activations:
        if f.name not in _ACTIVATIONS:
            raise ValueError(f"{name} knows the activations {sorted(_ACTIVATIONS)}; the "
                             f"network uses {f.name!r}.")


def _loss(net, A, Y):
    r"""The loss as a Dual: :math:`\dot C = \sum (\partial C/\partial A) \odot \dot A`."""
    loss = _losses.LOSSES[net.loss_name]
    return Dual(loss.fn(A.val, Y), np.sum(loss.grad(A.val, Y) * A.dot))


def _mlp_jvp(net, X, Y, dW, db):
    A = Dual(X)
    for W, b, Wd, bd, f in zip(net.weights, net.biases, dW, db, net.activations):
        A = _ACTIVATIONS[f.name](Dual(W, Wd) @ A + Dual(b, bd))   # z = W a + b, a = f(z)
    return _loss(net, A, Y)


def mlp_jvp(net, X, Y, dW, db):
    r"""``(C, dC)``: the loss of the :class:`bplab.MLP` ``net`` and its derivative along the
    direction ``(dW, db)`` in parameter space, :math:`\sum_l \langle \partial C/\partial
    W^{(l)}, dW^{(l)}\rangle + \langle \partial C/\partial b^{(l)}, db^{(l)}\rangle`, from one
    forward pass of dual numbers.

    ``X`` of shape (n_0, m), ``Y`` of shape (n_L, m); ``dW`` and ``db`` lists shaped like
    ``net.weights`` and ``net.biases``.
    """
    _check_net(net, "mlp_jvp")
    X = net._check_X(X)
    Y = net._check_Y(Y, X.shape[1])
    for what, given, params in (("dW", dW, net.weights), ("db", db, net.biases)):
        given = list(given)
        shapes = [np.shape(g) for g in given]
        if shapes != [p.shape for p in params]:
            raise ValueError(f"mlp_jvp: {what} must be one array per layer shaped like the "
                             f"network's {[p.shape for p in params]}; got {shapes}.")
    out = _mlp_jvp(net, X, Y, [_array("mlp_jvp: dW", g) for g in dW],
                   [_array("mlp_jvp: db", g) for g in db])
    return float(out.val), float(out.dot)


def mlp_gradients(net, X, Y):
    r"""Every :math:`\partial C/\partial\theta` of an MLP by forward mode: one pass per
    parameter, along the basis direction of that parameter.

    Returns
    -------
    loss : float
    dW, db : lists of ndarray
        Shaped like ``net.weights`` and ``net.biases`` (the same as
        :func:`bplab.autodiff.mlp_gradients`, which needs one backward pass).
    passes : int
        The number of forward passes: :math:`P`, the number of parameters.
    """
    _check_net(net, "mlp_gradients")
    X = net._check_X(X)
    Y = net._check_Y(Y, X.shape[1])
    params = net.weights + net.biases
    grads = [np.zeros_like(p) for p in params]
    seeds = [np.zeros_like(p) for p in params]
    passes, loss = 0, None
    for k, p in enumerate(params):
        for idx in np.ndindex(p.shape):
            seeds[k][idx] = 1.0                                  # the direction e_theta
            out = _mlp_jvp(net, X, Y, seeds[:len(net.weights)], seeds[len(net.weights):])
            seeds[k][idx] = 0.0
            grads[k][idx], loss, passes = out.dot, float(out.val), passes + 1
    n = len(net.weights)
    return loss, grads[:n], grads[n:], passes
