r"""Gradient descent: full batch, stochastic and mini-batch.

Each step moves every parameter against its gradient,
:math:`\theta \leftarrow \theta - \eta\, \partial C/\partial\theta`, with learning rate
:math:`\eta` (``lr``). ``train`` returns a :class:`History` and never prints.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field

import numpy as np

from bplab import _validation as v

__all__ = ["train", "History"]

_PROGRESS_MIN_STEPS = 20_000


@dataclass
class History:
    """What a training run recorded.

    Attributes
    ----------
    loss : ndarray of shape (epochs,)
        Per epoch, the loss over the whole training set as seen during that epoch (the mean
        of its batch losses, weighted by batch size). With full batch this is the loss
        before each update, as the source documents print it.
    batch_loss : ndarray of shape (steps,)
        The loss of each batch, computed before its update.
    final_loss : float
        The loss over the whole training set after the last update.
    """

    loss: np.ndarray
    batch_loss: np.ndarray
    final_loss: float
    lr: float
    batch_size: int
    epochs: int = field(default=0)

    @property
    def steps(self) -> int:
        return len(self.batch_loss)


def _want_progress(progress, total_steps):
    if progress is not None:
        return bool(progress)
    quiet = os.environ.get("CI") or os.environ.get("PYTEST_CURRENT_TEST") \
        or os.environ.get("BPLAB_NO_PROGRESS")
    return not quiet and total_steps >= _PROGRESS_MIN_STEPS and sys.stderr.isatty()


def train(net, X, Y, *, lr, epochs, batch_size=None, seed=0, progress=None) -> History:
    """Train ``net`` in place by gradient descent and return its :class:`History`.

    Parameters
    ----------
    net : MLP
    X, Y : array-like of shape (n_in, m) and (n_out, m)
        Samples are columns.
    lr : float
        Learning rate :math:`\\eta > 0`.
    epochs : int
        Passes over the data.
    batch_size : int, optional
        ``None`` (default): full batch, one step per epoch. ``1``: stochastic gradient
        descent. Otherwise mini-batches of this size, reshuffled every epoch (the last
        batch may be smaller).
    seed : int
        Seed of the ``np.random.default_rng`` that shuffles the mini-batches.
    progress : bool, optional
        Show a tqdm progress bar. Default: only for long runs (20 000 steps or more) in a
        terminal, never under CI or pytest.
    """
    lr = v.positive_number("lr", lr)
    epochs = v.positive_int("epochs", epochs)
    X = net._check_X(X)
    Y = net._check_Y(Y, X.shape[1])
    m = X.shape[1]
    if batch_size is None:
        batch_size = m
    batch_size = min(v.positive_int("batch_size", batch_size), m)
    n_batches = -(-m // batch_size)
    rng = np.random.default_rng(seed)
    loss_fn = net.loss_fn.fn

    epoch_loss = np.empty(epochs)
    batch_loss = np.empty(epochs * n_batches)
    bar = None
    if _want_progress(progress, epochs * n_batches):
        from tqdm.auto import tqdm
        if sys.platform == "emscripten":   # Pyodide (the website): no thread for its monitor
            tqdm.monitor_interval = 0
        bar = tqdm(total=epochs, desc="training", unit="epoch")
    step = 0
    for epoch in range(epochs):
        if batch_size == m:
            batches = ((X, Y),)
        else:
            order = rng.permutation(m)
            batches = ((X[:, idx], Y[:, idx])
                       for idx in (order[i:i + batch_size] for i in range(0, m, batch_size)))
        total = 0.0
        for Xb, Yb in batches:
            A, cache = net._forward(Xb)
            batch_loss[step] = loss = loss_fn(A, Yb)
            total += loss * Xb.shape[1]
            dW, db = net._backward(cache, Yb)
            # theta <- theta - lr * grad, in place. The gradients are fresh arrays that only
            # this step uses, so lr * grad is computed into them: the same numbers as
            # `W -= lr * gW`, without a temporary array per parameter per step.
            for W, b, gW, gb in zip(net.weights, net.biases, dW, db):
                gW *= lr
                W -= gW
                gb *= lr
                b -= gb
            step += 1
        epoch_loss[epoch] = total / m
        if bar is not None:
            bar.update(1)
            bar.set_postfix(loss=f"{epoch_loss[epoch]:.4g}", refresh=False)
    if bar is not None:
        bar.close()
    final = loss_fn(net._forward(X)[0], Y)
    return History(loss=epoch_loss, batch_loss=batch_loss, final_loss=final, lr=lr,
                   batch_size=batch_size, epochs=epochs)
