r"""Grader-only references of the bug zoo: the answer key, and what each defect computes.

Private to the grader (not part of bplab's public API, not re-exported anywhere): these are
answers, or near-answers, to the bug-zoo exercises (``book/exercises/13_bug_zoo.ipynb`` and
``14_bug_zoo_2.ipynb``).

Every specimen is a network with sigmoid hidden layers, ``weights[l]`` of shape
``(n_{l+1}, n_l)``, ``biases[l]`` of shape ``(n_{l+1}, 1)``, samples in columns, an identity
(or, for one specimen, a softmax over the units) output ``A`` and bplab's ``"mse"`` cost

.. math::  C = \frac{1}{n_L m} \sum_{i,j} (A_{ij} - Y_{ij})^2,
           \qquad \frac{\partial C}{\partial A} = \frac{2 (A - Y)}{n_L m}.
"""
from __future__ import annotations

import numpy as np

import bplab as bp

# which defect each of the book's specimens carries (ids of checks_zoo.DEFECTS)
ANSWER_KEY = {1: "missing_mean", 2: "assign_not_accumulate", 3: "prime_of_a",
              4: "bias_shape", 5: "dropped_keepdims", 6: "transposed_weight",
              7: "stale_gradients", 8: "softmax_diagonal"}


def softmax(Z):
    """Softmax over the units (axis 0) of each sample (column)."""
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    return E / E.sum(axis=0, keepdims=True)


def forward(weights, biases, X, output="identity"):
    """``(a, z)``: lists of the activations (``a[0] = X``) and pre-activations."""
    a, z = [X], []
    for l, (W, b) in enumerate(zip(weights, biases)):
        z.append(W @ a[-1] + b)
        last = l == len(weights) - 1
        a.append(z[-1] if last and output == "identity" else
                 softmax(z[-1]) if last else bp.sigmoid(z[-1]))
    return a, z


def grads(weights, biases, X, Y, *, output="identity", bug=None):
    """``(dW, db)`` of the mse cost, right (``bug=None``) or with one defect:

    ``"missing_mean"`` (no 1/m), ``"twice_mean"`` (1/m twice), ``"last_sample"`` (``=`` for
    ``+=`` in a loop over the samples), ``"prime_of_a"`` (σ'(a) for σ'(z)),
    ``"missing_prime"`` (no σ'), ``"transposed"`` (``W @ delta`` for ``W.T @ delta``),
    ``"softmax_diagonal"`` (only the diagonal a(1 - a) of the softmax's Jacobian),
    ``"softmax_unweighted"`` (``a * (dA - dA.sum(0))``: the sum not weighted by a).
    """
    if bug == "last_sample":
        dW, db = grads(weights, biases, X[:, -1:], Y[:, -1:], output=output)
        scale = 1.0 / X.shape[1]          # the last sample's share of the batch's mean
        return [g * scale for g in dW], [g * scale for g in db]
    a, z = forward(weights, biases, X, output)
    A, (n_out, m) = a[-1], Y.shape
    scale = {"missing_mean": 1.0 / n_out, "twice_mean": 1.0 / (n_out * m * m)}.get(
        bug, 1.0 / (n_out * m))
    dA = 2.0 * (A - Y) * scale
    if output == "softmax":
        if bug == "softmax_diagonal":
            delta = dA * A * (1 - A)
        elif bug == "softmax_unweighted":
            delta = A * (dA - dA.sum(axis=0, keepdims=True))
        else:
            delta = A * (dA - (A * dA).sum(axis=0, keepdims=True))
    else:
        delta = dA
    L = len(weights)
    dW, db = [None] * L, [None] * L
    for l in range(L - 1, -1, -1):
        dW[l] = delta @ a[l].T
        db[l] = delta.sum(axis=1, keepdims=True)
        if l > 0:
            back = (weights[l] @ delta) if bug == "transposed" else (weights[l].T @ delta)
            prime = (np.ones_like(a[l]) if bug == "missing_prime" else
                     bp.sigmoid_prime(a[l]) if bug == "prime_of_a" else a[l] * (1 - a[l]))
            delta = back * prime
    return dW, db
