r"""The convolution capstone: a small CNN on scikit-learn's 8x8 digits, in bplab and in PyTorch.

One network, two implementations that start from the same weights and see the same batches:

* :func:`build_cnn` — ``bp.Sequential(Conv2d, ReLU, MaxPool2d, Conv2d, ReLU, MaxPool2d,
  Flatten, Linear)`` with ``SoftmaxCrossEntropyLoss``, trained with ``bp.optim.Adam``;
* :func:`torch_twin` — the same layers in ``torch.nn``, with copies of the weights
  (PyTorch is optional: it is imported there, never at module level).

:func:`train` and :func:`train_torch` run the same steps (:func:`batch_order`) and return the
loss of every batch, before its update, so that the two runs can be compared step by step.
The book's page is ``book/part3/capstone_cnn.ipynb``; ``tests/test_capstone_cnn.py`` checks
the agreement and the test accuracy; ``bench/conv.py`` times one step against PyTorch.

Images are batch first, ``(N, 1, 8, 8)`` with pixels in [0, 1].

**One thread.** :func:`train`, :func:`accuracy` and :func:`train_torch` run numpy's BLAS and
PyTorch on one thread (``threadpoolctl``, which scikit-learn installs, and
``torch.set_num_threads``; both restored afterwards). The products here are small (at most
``512 x 144`` by ``144 x 32``); on a 2-core machine shared with other jobs, OpenBLAS's second
thread made 200 training steps take 8 times the CPU time and 11 times the wall time of one
thread (measured: 9.3 s against 1.2 s of CPU).
"""
from __future__ import annotations

from dataclasses import dataclass

import contextlib

import numpy as np

try:                                    # installed with scikit-learn, which bplab requires
    from threadpoolctl import threadpool_limits
except ImportError:                     # pragma: no cover - e.g. a minimal Pyodide
    def threadpool_limits(**_):
        return contextlib.nullcontext()

from bplab import datasets, optim
from bplab.layers import (Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential,
                          SoftmaxCrossEntropyLoss)

__all__ = ["DigitImages", "digit_images", "build_cnn", "batch_order", "train", "step",
           "accuracy", "torch_twin", "train_torch", "EPOCHS", "BATCH_SIZE", "LR"]

#: the training run of the page and of the test: epochs, mini-batch size, Adam's step
EPOCHS, BATCH_SIZE, LR = 20, 32, 3e-3


@dataclass(frozen=True)
class DigitImages:
    """``bp.datasets.digits()`` as images: ``X_*`` of shape ``(m, 1, 8, 8)``, ``labels_*``
    the digits 0-9, shape ``(m,)``."""

    X_train: np.ndarray
    labels_train: np.ndarray
    X_test: np.ndarray
    labels_test: np.ndarray


def digit_images(seed: int = 0, dtype=np.float64) -> DigitImages:
    """The digits split of :func:`bplab.datasets.digits` (same ``seed``), reshaped to images."""
    d = datasets.digits(seed=seed)

    def images(X):                       # (64, m), samples as columns -> (m, 1, 8, 8)
        return np.ascontiguousarray(X.T.reshape(-1, 1, 8, 8), dtype=dtype)
    return DigitImages(images(d.X_train), d.labels_train, images(d.X_test), d.labels_test)


def build_cnn(seed: int = 0, dtype=np.float64, channels=(16, 32)) -> Sequential:
    """``(N, 1, 8, 8)`` → scores ``(N, 10)``::

        Conv2d(1, c1, 3, padding=1)  ReLU  MaxPool2d(2)     (N, c1, 4, 4)
        Conv2d(c1, c2, 3, padding=1) ReLU  MaxPool2d(2)     (N, c2, 2, 2)
        Flatten  Linear(4 c2, 10)                           (N, 10)

    with ``SoftmaxCrossEntropyLoss``; weights drawn with gain 2 (He, before a ReLU) from
    ``seed``, ``seed + 1``, ``seed + 2``.
    """
    c1, c2 = channels
    return Sequential(Conv2d(1, c1, 3, padding=1, seed=seed, gain=2.0, dtype=dtype), ReLU(),
                      MaxPool2d(2),
                      Conv2d(c1, c2, 3, padding=1, seed=seed + 1, gain=2.0, dtype=dtype),
                      ReLU(), MaxPool2d(2), Flatten(),
                      Linear(4 * c2, 10, seed=seed + 2, dtype=dtype),
                      loss=SoftmaxCrossEntropyLoss())


def batch_order(m: int, *, epochs: int, batch_size: int, seed: int = 0) -> list:
    """The index arrays of every step: a fresh permutation of ``range(m)`` per epoch from
    ``np.random.default_rng(seed)``, cut into batches (the last one may be smaller)."""
    rng = np.random.default_rng(seed)
    steps = []
    for _ in range(epochs):
        order = rng.permutation(m)
        steps += [order[i:i + batch_size] for i in range(0, m, batch_size)]
    return steps


def step(model: Sequential, opt, X, labels) -> float:
    """One training step: forward, loss, backward, ``opt.step``; returns the batch's loss
    (before the update). ``X`` and ``labels`` are trusted (checked once by :func:`train`).
    The backward is ``Sequential._backward``'s loop, except that the first layer computes
    its parameters' gradients only (as ``bp.train`` does, and PyTorch for an input that
    does not require a gradient)."""
    out, caches = model._forward(X)
    loss, lcache = model.loss._forward(out, labels)
    dout, grads = model.loss._backward(lcache), {}
    for i in range(len(model.layers) - 1, -1, -1):          # the backward, in reverse
        layer = model.layers[i]
        if i:
            dout, g = layer._backward(dout, caches[i])
        else:                       # the images need no gradient: Conv2d skips its col2im
            g = layer._param_grads(dout, caches[i])
        grads.update((f"{i}.{name}", value) for name, value in g.items())
    opt.step(grads)
    return loss


def train(model: Sequential, X, labels, steps, *, lr: float = LR, opt=None) -> np.ndarray:
    """Train ``model`` in place with ``bp.optim.Adam(lr)`` over the index arrays ``steps``
    (:func:`batch_order`); returns the loss of every batch, shape ``(len(steps),)``. Pass
    ``opt`` (an optimiser of ``model.parameters()``) to continue a run in several calls."""
    X, Y = model.check_data(X, labels)              # labels -> one-hot rows, checked once
    if opt is None:
        opt = optim.Adam(model.parameters(), lr=lr)
    with threadpool_limits(limits=1, user_api="blas"):
        return np.array([step(model, opt, X[idx], Y[idx]) for idx in steps])


def accuracy(model: Sequential, X, labels, batch: int = 512) -> float:
    """The fraction of images whose largest score is their label."""
    with threadpool_limits(limits=1, user_api="blas"):
        pred = np.concatenate([model.predict(X[i:i + batch]).argmax(axis=1)
                               for i in range(0, len(X), batch)])
    return float(np.mean(pred == labels))


def torch_twin(model: Sequential):
    """The ``torch.nn.Sequential`` of ``model``'s layers with copies of its current weights
    (in its dtype). ``Conv2d``'s ``W`` is PyTorch's ``weight`` as it is, ``(C_out, C_in,
    k_H, k_W)``; ``Linear``'s too, ``(n_out, n_in)``."""
    import torch
    from torch import nn

    dtype = {np.dtype(np.float64): torch.float64, np.dtype(np.float32): torch.float32}
    layers = []
    for layer in model.layers:
        if isinstance(layer, Conv2d):
            t = nn.Conv2d(layer.in_channels, layer.out_channels, layer.kernel_size,
                          layer.stride, layer.padding, bias="b" in layer.params)
        elif isinstance(layer, Linear):
            t = nn.Linear(layer.n_in, layer.n_out)
        elif isinstance(layer, MaxPool2d):
            t = nn.MaxPool2d(layer.kernel_size, layer.stride)
        elif isinstance(layer, ReLU):
            t = nn.ReLU()
        elif isinstance(layer, Flatten):
            t = nn.Flatten()
        else:
            raise TypeError(f"torch_twin: no PyTorch twin for {layer!r}.")
        t = t.to(dtype[np.dtype(model.dtype)])
        with torch.no_grad():
            for name, p in layer.params.items():
                getattr(t, {"W": "weight", "b": "bias"}[name]).copy_(torch.from_numpy(p))
        layers.append(t)
    return nn.Sequential(*layers)


def train_torch(net, X, labels, steps, *, lr: float = LR) -> np.ndarray:
    """:func:`train` in PyTorch: ``torch.optim.Adam(lr)``, ``nn.CrossEntropyLoss``, the same
    index arrays; returns the loss of every batch."""
    import torch

    Xt = torch.from_numpy(np.asarray(X))
    yt = torch.from_numpy(np.asarray(labels, dtype=np.int64))
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    losses, threads = [], torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        for idx in steps:
            idx = torch.from_numpy(idx)
            opt.zero_grad()
            loss = loss_fn(net(Xt[idx]), yt[idx])
            loss.backward()
            opt.step()
            losses.append(loss.item())
    finally:
        torch.set_num_threads(threads)
    return np.array(losses)
