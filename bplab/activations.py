r"""Activation functions, each next to its derivative.

Every activation :math:`f` is stored with two derivatives:

* ``prime(z)`` — :math:`f'(z)`, written in terms of the pre-activation ``z``;
* ``prime_from_a(a)`` — the same number written in terms of the activation
  :math:`a = f(z)`, e.g. :math:`\sigma'(z) = a(1 - a)`. The backward pass uses this form,
  because the forward pass has already cached ``a`` (see the chapter "The backward pass").

All functions work elementwise on arrays of any shape. Array-likes are accepted by
converting them (lists, scalars, integer and boolean arrays become float64); anything that
is not real numbers (strings, None, complex) is refused with an error naming ``z``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from bplab._validation import as_float_array, check_choice

__all__ = [
    "Activation", "ACTIVATIONS", "get_activation",
    "sigmoid", "sigmoid_prime", "tanh", "tanh_prime", "relu", "relu_prime",
    "identity", "identity_prime", "step", "step_prime",
]


def _z(z):
    """``z`` as a float array: float arrays pass at once, the rest is converted or refused."""
    if isinstance(z, np.ndarray) and z.dtype.kind == "f":
        return z
    return as_float_array("z", z)


def sigmoid(z):
    r"""Logistic sigmoid :math:`\sigma(z) = 1 / (1 + e^{-z})`, without overflow.

    For :math:`z \ge 0` it evaluates :math:`1/(1+e^{-z})`; for :math:`z < 0` the equal
    :math:`e^{z}/(1+e^{z})`. Either way the exponent is never positive, so no finite input
    (``z = ±1000`` included) overflows or warns.
    """
    z = _z(z)
    e = np.exp(-np.abs(z))            # in (0, 1]: never overflows
    # numerator 1 where z >= 0 and e where z < 0, over the common denominator 1 + e
    return np.where(z >= 0, 1.0, e) / (1.0 + e)


def sigmoid_prime(z):
    r""":math:`\sigma'(z) = \sigma(z)\,(1 - \sigma(z))`."""
    s = sigmoid(_z(z))
    return s * (1.0 - s)


def _sigmoid_prime_from_a(a):
    return a * (1.0 - a)


def tanh(z):
    r""":math:`\tanh z`."""
    return np.tanh(_z(z))


def tanh_prime(z):
    r""":math:`\tanh'(z) = 1 - \tanh^2 z`."""
    return 1.0 - np.tanh(_z(z)) ** 2


def _tanh_prime_from_a(a):
    return 1.0 - a * a


def relu(z):
    r""":math:`\max(0, z)`."""
    return np.maximum(_z(z), 0.0)


def relu_prime(z):
    r""":math:`1` where :math:`z > 0`, else :math:`0` (the value 0 is chosen at the kink)."""
    z = _z(z)
    return (z > 0).astype(np.result_type(z, np.float32))


def _relu_prime_from_a(a):
    return (a > 0).astype(a.dtype)


def identity(z):
    r""":math:`f(z) = z` (a linear output layer)."""
    return _z(z)


def identity_prime(z):
    r""":math:`f'(z) = 1`."""
    z = _z(z)
    return np.ones_like(z, dtype=np.result_type(z, np.float32))


def step(z):
    r"""Heaviside step: :math:`1` where :math:`z > 0`, else :math:`0` (the perceptron's unit)."""
    z = _z(z)
    return (z > 0).astype(np.result_type(z, np.float32))


def step_prime(z):
    r""":math:`0` everywhere it exists. This is why a step unit cannot be trained by
    backpropagation: every error signal that passes through it is multiplied by zero."""
    z = _z(z)
    return np.zeros_like(z, dtype=np.result_type(z, np.float32))


@dataclass(frozen=True)
class Activation:
    """An activation with both forms of its derivative."""

    name: str
    fn: Callable
    prime: Callable
    prime_from_a: Callable

    def __call__(self, z):
        return self.fn(z)


ACTIVATIONS = {
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_prime, _sigmoid_prime_from_a),
    "tanh": Activation("tanh", tanh, tanh_prime, _tanh_prime_from_a),
    "relu": Activation("relu", relu, relu_prime, _relu_prime_from_a),
    "identity": Activation("identity", identity, identity_prime, lambda a: np.ones_like(a)),
    "step": Activation("step", step, step_prime, lambda a: np.zeros_like(a)),
}


def get_activation(name) -> Activation:
    """Look up an activation by name (``"sigmoid"``, ``"tanh"``, ``"relu"``, ``"identity"``,
    ``"step"``); an :class:`Activation` passes through unchanged."""
    if isinstance(name, Activation):
        return name
    return ACTIVATIONS[check_choice("activation", name, ACTIVATIONS)]
