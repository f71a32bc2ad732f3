r"""Gradient descent: full batch, stochastic and mini-batch.

Each step moves every parameter against its gradient,
:math:`\theta \leftarrow \theta - \eta\, \partial C/\partial\theta`, with learning rate
:math:`\eta` (``lr``); with ``optimizer=``, by the rule of a :mod:`bplab.optim` optimiser
(momentum, Adam) built on the network's parameters with that learning rate. ``train``
returns a :class:`History` and never prints. A run whose loss becomes NaN or infinite (a
learning rate too large) stops there, and its History says so (``diverged``, ``message``).
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field

import numpy as np

from bplab import _validation as v
from bplab._model import MLPModel, as_model
from bplab.optim import Optimizer

__all__ = ["train", "History"]

_PROGRESS_MIN_STEPS = 20_000


@dataclass
class History:
    """What a training run recorded.

    Attributes
    ----------
    loss : ndarray of shape (epochs,)
        Per epoch, the loss over the whole training set as seen during that epoch: for a
        mean loss (``mse``, ``cross_entropy``) the mean of its batch losses weighted by batch
        size, for a summed loss (``half_sse``) the sum of its batch losses. With full batch
        this is the loss before each update, as the source documents print it.
    batch_loss : ndarray of shape (steps,)
        The loss of each batch, computed before its update.
    final_loss : float
        The loss over the whole training set after the last update.
    diverged : bool
        True if the loss became NaN or infinite; training stopped at that step (the last
        entries of ``loss`` and ``batch_loss`` are that non-finite loss, and ``epochs`` and
        ``steps`` count what was run). ``message`` says what happened, naming ``lr``.
    """

    loss: np.ndarray
    batch_loss: np.ndarray
    final_loss: float
    lr: float
    batch_size: int
    epochs: int = field(default=0)
    diverged: bool = False
    message: str = ""

    @property
    def steps(self) -> int:
        return len(self.batch_loss)


def _want_progress(progress, total_steps):
    if progress is not None:
        return bool(progress)
    quiet = os.environ.get("CI") or os.environ.get("PYTEST_CURRENT_TEST") \
        or os.environ.get("BPLAB_NO_PROGRESS")
    return not quiet and total_steps >= _PROGRESS_MIN_STEPS and sys.stderr.isatty()


def _check_model(net):
    """The model check at train's boundary (see :func:`bplab._validation.check_model`)."""
    return v.check_model_and_parameters(net, "train")


def _divergence(lr, epoch, step, loss) -> str:
    return (f"training diverged at epoch {epoch + 1}, step {step + 1}: the loss became "
            f"{loss} with lr={lr:g}. The learning rate is too large for this network and "
            f"data: re-initialise the network and try a smaller one, e.g. lr={lr / 10:g}.")


def _build_optimizer(optimizer, model, lr):
    """``optimizer(parameters, lr=lr)``, checked to be a :class:`bplab.optim.Optimizer`."""
    hint = ("Pass an optimiser class such as bp.optim.Adam, or a function of (params, lr=...) "
            "returning one, e.g. functools.partial(bp.optim.SGD, momentum=0.9); train builds "
            "it on the network's parameters with its lr.")
    if isinstance(optimizer, Optimizer) or not callable(optimizer):
        what = f"an instance of {type(optimizer).__name__}" if isinstance(optimizer, Optimizer) \
            else repr(optimizer)
        raise TypeError(f"optimizer must be None (plain gradient descent) or an optimiser "
                        f"class; got {what}. {hint}")
    opt = optimizer(model.parameters(), lr=lr)
    if not isinstance(opt, Optimizer):
        raise TypeError(f"optimizer(params, lr=...) must return a bplab.optim optimiser; it "
                        f"returned {type(opt).__name__}. {hint}")
    return opt


def _loss_and_gradients(model, X, Y):
    """The batch's loss (one forward) and, if it is finite, the gradients in parameter
    order (one backward); ``(loss, None)`` if it is not."""
    if isinstance(model, MLPModel):
        net = model.net
        A, cache = net._forward(X)
        loss = net.loss_fn.fn(A, Y)
        if not np.isfinite(loss):
            return loss, None
        dW, db = net._backward(cache, Y)
        return loss, [g for pair in zip(dW, db) for g in pair]
    seq = model.model
    out, caches = seq._forward(X)
    loss, lcache = seq.loss._forward(out, Y)
    if not np.isfinite(loss):
        return loss, None
    grads = seq._backward(seq.loss._backward(lcache), caches)[1]
    return loss, [grads[name] for name, _ in seq.parameters()]


def _optimizer_update(opt, model):
    def update(X, Y, lr):               # lr is the optimiser's own
        loss, grads = _loss_and_gradients(model, X, Y)
        if grads is not None:           # diverged: train stops, nothing is updated
            opt.step(grads)
        return loss
    return update


def train(net, X, Y, *, lr, epochs, batch_size=None, seed=0, progress=None,
          optimizer=None) -> History:
    """Train ``net`` in place by gradient descent (or ``optimizer``) and return its
    :class:`History`.

    Parameters
    ----------
    net : MLP or Sequential
        A :class:`~bplab.layers.Sequential` needs a ``loss``.
    X, Y : array-like
        For an ``MLP``, of shape (n_in, m) and (n_out, m): samples are columns. For a
        ``Sequential``, batch first: ``X`` of shape (m, ...), ``Y`` as its loss expects.
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
    optimizer : class or callable, optional
        ``None`` (default): plain gradient descent. Otherwise a :mod:`bplab.optim` class, or
        a function of ``(params, lr=...)`` returning an optimiser, e.g. ``bp.optim.Adam``
        or ``functools.partial(bp.optim.SGD, momentum=0.9)``: ``train`` builds it on the
        network's parameters with ``lr`` and steps it with each batch's gradients. It is
        built afresh at every call, so its state (momentum, moments) starts at 0.

    Returns
    -------
    History
        If the loss becomes NaN or infinite, training stops at that step and the history
        has ``diverged=True`` and a ``message`` naming the learning rate.
    """
    net = _check_model(net)
    lr = v.positive_number("lr", lr)
    epochs = v.positive_int("epochs", epochs)
    seed = v.check_seed("seed", seed)
    if progress is not None and not isinstance(progress, (bool, np.bool_)):
        raise ValueError(f"progress must be True, False or None (automatic); got {progress!r}.")
    model = as_model(net)
    update = None if optimizer is None else _optimizer_update(
        _build_optimizer(optimizer, model, lr), model)
    X, Y = model.check(X, Y)
    m = model.n_samples(X)
    if batch_size is None:
        batch_size = m
    batch_size = min(v.positive_int("batch_size", batch_size), m)
    n_batches = -(-m // batch_size)
    v.check_memory(f"a history of {epochs:,} epochs x {n_batches:,} batches",
                   8.0 * epochs * (n_batches + 1), "Train for fewer epochs.")
    rng = np.random.default_rng(seed)
    summed = model.reduction == "sum"

    epoch_loss = np.empty(epochs)
    batch_loss = np.empty(epochs * n_batches)
    bar = None
    if _want_progress(progress, epochs * n_batches):
        from tqdm.auto import tqdm
        if sys.platform == "emscripten":   # Pyodide (the website): no thread for its monitor
            tqdm.monitor_interval = 0
        bar = tqdm(total=epochs, desc="training", unit="epoch")
    with np.errstate(over="ignore", invalid="ignore"):    # divergence is detected below
        return _loop(model, X, Y, lr, epochs, batch_size, rng, summed, epoch_loss,
                     batch_loss, bar, update)


def _loop(model, X, Y, lr, epochs, batch_size, rng, summed, epoch_loss, batch_loss,
          bar, update=None) -> History:
    update = update or model.step       # one step: the batch's loss, before the update
    m = model.n_samples(X)
    step, message = 0, ""
    for epoch in range(epochs):
        if batch_size == m:
            batches = ((X, Y),)
        else:
            order = rng.permutation(m)
            batches = ((model.take(X, idx), model.take(Y, idx))
                       for idx in (order[i:i + batch_size] for i in range(0, m, batch_size)))
        total = 0.0
        for Xb, Yb in batches:
            # one step of gradient descent; a non-finite loss leaves the parameters as they are
            batch_loss[step] = loss = update(Xb, Yb, lr)
            total += loss if summed else loss * model.n_samples(Xb)
            if not np.isfinite(loss):
                message = _divergence(lr, epoch, step, loss)
                step += 1
                break
            step += 1
        epoch_loss[epoch] = total if summed else total / m
        if bar is not None:
            bar.update(1)
            bar.set_postfix(loss=f"{epoch_loss[epoch]:.4g}", refresh=False)
        if message:
            epoch_loss, batch_loss = epoch_loss[:epoch + 1], batch_loss[:step]
            break
    if bar is not None:
        bar.close()
    final = batch_loss[-1] if message else model.loss(X, Y)
    if not message and not np.isfinite(final):
        message = _divergence(lr, len(epoch_loss) - 1, step - 1, final)
    return History(loss=epoch_loss, batch_loss=batch_loss, final_loss=final, lr=lr,
                   batch_size=batch_size, epochs=len(epoch_loss), diverged=bool(message),
                   message=message)
