"""Checks for the exercises about numerical gradients and training loops."""
from __future__ import annotations

import numpy as np

import bplab as bp
from bplab.grading._checking import CheckFailed, as_array, call, compare, fresh_rng, passed
from bplab.grading._probes import KINDS, Probe
from bplab.grading._references import gd_variant, perceptron_reference

__all__ = ["check_numerical_gradient", "check_minibatch_gd", "check_perceptron"]


# -- central differences -----------------------------------------------------------------
def check_numerical_gradient(numerical_gradient, *, extra=False, seed=None):
    """``g = numerical_gradient(f, x, h=1e-5)``: central differences, ``x`` restored."""
    rng, seed = fresh_rng(seed)
    shapes = [(3, 4), (5, 1)] + ([(2, 3, 2), (6,)] if extra else [])
    n = 0
    for shape in shapes:
        A = rng.normal(0, 1, shape)
        for kind in KINDS:
            x = rng.uniform(-1, 1, shape)
            x0 = x.copy()
            f = Probe(kind, A, x)
            g = call(numerical_gradient, f, x, kwargs=dict(h=1e-5), seed=seed,
                     name="numerical_gradient", check_inputs=False)
            if not np.array_equal(x, x0):
                raise CheckFailed("numerical_gradient left x changed: restore each entry after "
                                  f"perturbing it (random seed {seed})")
            g = as_array(g, f"the gradient for x of shape {shape}", shape, seed=seed)
            if not np.any(g):
                raise CheckFailed("the gradient is zero everywhere: f() reads x itself, so "
                                  "perturb x in place (x[i] = old + h), not a copy of x "
                                  f"(random seed {seed})")
            forward = np.zeros(shape)
            for i in np.ndindex(shape):
                xp = x.copy()
                xp[i] += 1e-5
                forward[i] = (f.value(xp) - f.value(x)) / 1e-5
            compare(g, f.gradient(x), f"the gradient for x of shape {shape}", tol=1e-8,
                    seed=seed, gradient=True, suspects=[
                        ("a one-sided difference (f(x + h) - f(x)) / h: its error is O(h); the "
                         "central difference (f(x + h) - f(x - h)) / 2h has O(h²)", forward)])
            if f.calls > 2 * x.size + 1:
                raise CheckFailed(f"numerical_gradient called f {f.calls} times for "
                                  f"{x.size} entries: two calls per entry are enough")
            n += 1
    passed("central-difference", n)


# -- mini-batch gradient descent ---------------------------------------------------------
def check_minibatch_gd(minibatch_gd, *, seed=None):
    """``batch_losses = minibatch_gd(net, X, Y, lr=, epochs=, batch_size=, seed=)`` must
    train ``net`` in place exactly as ``bp.train`` does (same shuffling)."""
    rng, seed = fresh_rng(seed)
    cases = [(8, 8, 1), (10, 3, 3), (8, 8, 2), (12, 1, 1), (9, 4, 2)]   # (m, batch_size, epochs)
    for m, batch_size, epochs in cases:
        sizes = [int(rng.integers(1, 4)), int(rng.integers(3, 7)), int(rng.integers(1, 3))]
        net = bp.MLP(sizes, hidden="tanh", output="identity", seed=int(rng.integers(2**31)))
        X = rng.normal(0, 1, (sizes[0], m))
        Y = rng.normal(0, 1, (sizes[-1], m))
        lr, s = float(rng.uniform(0.05, 0.3)), int(rng.integers(1000))
        ref, yours = net.copy(), net.copy()
        history = bp.train(ref, X, Y, lr=lr, epochs=epochs, batch_size=batch_size, seed=s)
        what = f"m = {m}, batch_size = {batch_size}, epochs = {epochs}"
        losses = call(minibatch_gd, yours, X, Y, kwargs=dict(lr=lr, epochs=epochs,
                      batch_size=batch_size, seed=s), name="minibatch_gd",
                      arg_names=["net", "X", "Y"], seed=seed)
        try:
            losses = np.asarray(losses, dtype=float).ravel()
        except (TypeError, ValueError):
            raise CheckFailed(f"minibatch_gd should return the list of batch losses; got "
                              f"{type(losses).__name__}") from None
        if losses.size != history.batch_loss.size:
            raise CheckFailed(f"minibatch_gd returned {losses.size} batch losses, expected "
                              f"{history.batch_loss.size} = epochs × ceil(m / batch_size) "
                              f"({what}): is the last, smaller batch missing?")
        moved = [W - W0 for W, W0 in zip(yours.weights, net.weights)]
        wanted = [W - W0 for W, W0 in zip(ref.weights, net.weights)]
        if all(not np.any(d) for d in moved):
            raise CheckFailed("the network's weights did not change: update them in place "
                              "(`W -= lr * dW`); `W = W - lr * dW` only rebinds a local name")
        flat = np.concatenate([d.ravel() for d in moved])
        want = np.concatenate([d.ravel() for d in wanted])
        kw = dict(lr=lr, epochs=epochs, batch_size=batch_size, seed=s)
        compare(flat, want, f"the change of the weights ({what})", tol=1e-9, seed=seed,
                gradient=True, suspects=[
                    ("the weights moved uphill: the update sign is flipped (use -=)", -want),
                    ("the batches are never shuffled: draw order = rng.permutation(m) every "
                     "epoch", gd_variant(net, X, Y, shuffle="never", **kw)),
                    ("the data is shuffled only once: draw a new permutation every epoch",
                     gd_variant(net, X, Y, shuffle="once", **kw)),
                    ("the gradients are summed across batches: each update must use only "
                     "its own batch's dW and db (a running total never reset?)",
                     gd_variant(net, X, Y, accumulate=True, **kw))])
        compare(losses, history.batch_loss, f"the batch losses ({what})", tol=1e-9, seed=seed)
    passed("minibatch-gd", len(cases))


# -- the perceptron of source 002 ---------------------------------------------------------
def check_perceptron(train_perceptron, *, seed=None):
    """``w, b, epochs, converged = train_perceptron(X, t, w0=, b0=, lr=, max_epochs=)``."""
    rng, seed = fresh_rng(seed)
    X, t = bp.datasets.perceptron_points()
    cases = [("source 002's points", X, t, np.array([[1.0, 1.0]]), 0.0, 0.9)]
    for _ in range(3):
        normal = rng.normal(0, 1, (1, 2))
        Xr = rng.uniform(-2, 2, (2, 12))
        margin = (normal @ Xr + 0.3).ravel()
        Xr = Xr[:, np.abs(margin) > 0.2]
        tr = (normal @ Xr + 0.3 > 0).astype(float)
        cases.append(("random separable points", Xr, tr, rng.normal(0, 1, (1, 2)),
                      float(rng.normal()), float(rng.uniform(0.1, 1))))
    Xx, tx = bp.datasets.xor()
    cases.append(("the XOR points (not separable)", Xx, tx, np.array([[1.0, 1.0]]), 0.0, 0.9))
    for label, Xc, tc, w0, b0, lr in cases:
        max_epochs = 200
        ref = perceptron_reference(Xc, tc, w0=w0, b0=b0, lr=lr, max_epochs=max_epochs)
        out = call(train_perceptron, Xc, tc, kwargs=dict(w0=w0, b0=b0, lr=lr,
                   max_epochs=max_epochs), name="train_perceptron", arg_names=["X", "t"], seed=seed)
        if not isinstance(out, tuple) or len(out) != 4:
            raise CheckFailed("train_perceptron should return (w, b, epochs, converged); got "
                              f"{type(out).__name__}")
        w, b, epochs, converged = out
        if bool(converged) != ref[3]:
            raise CheckFailed(f"on {label}: converged is {bool(converged)}, expected {ref[3]}"
                              + ("" if ref[3] else ": no line separates XOR, so the loop must "
                                 "stop at max_epochs and say it did not converge"))
        if int(epochs) != ref[2]:
            raise CheckFailed(f"on {label}: stopped after {int(epochs)} epochs, expected "
                              f"{ref[2]} (stop as soon as every point is classified right, "
                              f"or after max_epochs updates)")
        compare(w, ref[0], f"w on {label}", seed=seed, tol=1e-9)
        b = np.asarray(b, dtype=float).reshape(()) if np.size(b) == 1 else b
        compare(b, np.asarray(ref[1]), f"b on {label}", seed=seed, tol=1e-9)
    passed("fix-perceptron-stopping", len(cases))
