"""Checks of the exercises on whole networks: forward, backward, Nielsen's backprop."""
from __future__ import annotations

import numpy as np

import bplab as bp
from bplab.grading._checking import (CheckFailed, as_array, call, compare, describe, fresh_rng,
                                     passed)

__all__ = ["check_mlp_backward", "check_forward", "check_backprop_nielsen"]


def _sizes(rng, n_hidden):
    """Layer sizes all different from each other, so a transposed W cannot fit by luck."""
    return [int(n) for n in rng.choice(np.arange(2, 9), size=n_hidden + 2, replace=False)]


def _net(rng, sizes, **kw):
    net = bp.MLP(sizes, seed=int(rng.integers(2**31)), **kw)
    return net.set_weights([rng.normal(0, 1, W.shape) for W in net.weights],
                           [rng.normal(0, 0.5, b.shape) for b in net.biases])


# -- whole networks ----------------------------------------------------------------------
def _check_grads(net, X, Y, dW, db, what, seed):
    L = net.n_layers
    for label, g in (("dW", dW), ("db", db)):
        if not isinstance(g, (list, tuple)) or len(g) != L:
            raise CheckFailed(f"{what}: {label} should be a list of {L} arrays (one per layer); "
                              f"got {describe(g)}")
    for l in range(L):
        as_array(dW[l], f"dW[{l}]", net.weights[l].shape, seed=seed)
        as_array(db[l], f"db[{l}]", net.biases[l].shape, seed=seed)
    report = bp.gradcheck(net, X, Y, grads=(list(dW), list(db)))
    if not report.ok:
        bad = "; ".join(f"{c.name}: {c.diagnosis}" for c in report.checks if not c.ok)
        hint = ""
        if f"W[{L - 1}]" not in report.failing and report.failing:
            hint = (" — the output layer is right, so the error is in passing δ back: "
                    "δ(l) = (W(l+1)ᵀ δ(l+1)) ⊙ σ'(z(l))")
        raise CheckFailed(f"{what}: gradients disagree with finite differences — {bad}{hint} "
                          f"(random seed {seed})")


def check_mlp_backward(mlp_backward, *, seed=None):
    """``dW, db = mlp_backward(weights, cache, Y)``: sigmoid hidden layers, identity output,
    ``loss="mse"``; ``cache`` is the :class:`bplab.Cache` of ``net.forward(X)``."""
    rng, seed = fresh_rng(seed)
    for n_hidden, m in ((1, 5), (2, 7), (3, 1)):
        net = _net(rng, _sizes(rng, n_hidden), hidden="sigmoid", output="identity", loss="mse")
        X = rng.normal(0, 1, (net.sizes[0], m))
        Y = rng.normal(0, 1, (net.sizes[-1], m))
        _, cache = net.forward(X)
        weights = [W.copy() for W in net.weights]
        dW, db = _pair(call(mlp_backward, weights, cache, Y, name="mlp_backward",
                            arg_names=["weights", "cache", "Y"], seed=seed), "mlp_backward")
        _check_grads(net, X, Y, dW, db, f"sizes {net.sizes}, m = {m}", seed)
    passed("mlp-backward", 3)


def _pair(out, name):
    if not isinstance(out, tuple) or len(out) != 2:
        raise CheckFailed(f"{name} should return a pair of lists; got {type(out).__name__}")
    return out


def check_forward(forward, *, seed=None):
    """``A, cache = forward(weights, biases, X)``: sigmoid hidden layers, identity output;
    ``cache.a`` (``a[0] = X``) and ``cache.z`` as in :class:`bplab.Cache`."""
    rng, seed = fresh_rng(seed)
    for n_hidden, m in ((2, 6), (3, 4), (1, 3)):
        net = _net(rng, _sizes(rng, n_hidden), hidden="sigmoid", output="identity")
        X = rng.normal(0, 1, (net.sizes[0], m))
        A_ref, ref = net.forward(X)
        what = f"sizes {net.sizes}"
        A, cache = _pair(call(forward, [W.copy() for W in net.weights],
                              [b.copy() for b in net.biases], X, name="forward",
                              arg_names=["weights", "biases", "X"], seed=seed), "forward")
        compare(A, A_ref, f"A ({what})", seed=seed, suspects=[
            ("the output layer must stay linear (identity), as in source 000",
             bp.sigmoid(ref.z[-1]))])
        a = cache["a"] if isinstance(cache, dict) else getattr(cache, "a", None)
        z = cache["z"] if isinstance(cache, dict) else getattr(cache, "z", None)
        if not isinstance(a, list) or not isinstance(z, list) or len(a) != len(ref.a) \
                or len(z) != len(ref.z):
            raise CheckFailed(f"the cache should have lists a ({len(ref.a)} arrays, a[0] = X) "
                              f"and z ({len(ref.z)} arrays, one per layer) for {what}")
        for l, (got, want) in enumerate(zip(z, ref.z)):
            compare(got, want, f"cache.z[{l}] ({what})", seed=seed)
        for l, (got, want) in enumerate(zip(a, ref.a)):
            compare(got, want, f"cache.a[{l}] ({what})", seed=seed)
    passed("fix-sine-forward", 3)


def check_backprop_nielsen(backprop, sigmoid=None, *, seed=None):
    """``nabla_b, nabla_w = backprop(weights, biases, x, y)`` for one sample: sigmoid in
    every layer and the cost ``C = ½‖a - y‖²`` (Nielsen's network.py, fixed)."""
    rng, seed = fresh_rng(seed)
    if sigmoid is not None:
        z = rng.normal(0, 3, 5)
        compare(call(sigmoid, z, name="sigmoid", seed=seed), bp.sigmoid(z), "sigmoid(z)",
                seed=seed, tol=1e-10, suspects=[("1/(1 + exp(z)) is σ(-z): the sign of the "
                                                 "exponent is flipped (source 003's bug)",
                                                 bp.sigmoid(-z))])
    for n_hidden in (1, 2, 3):
        net = _net(rng, _sizes(rng, n_hidden), hidden="sigmoid", output="sigmoid",
                   loss="half_sse")
        x = rng.normal(0, 1, (net.sizes[0], 1))
        y = rng.uniform(0, 1, (net.sizes[-1], 1))
        db, dW = _pair(call(backprop, [W.copy() for W in net.weights],
                            [b.copy() for b in net.biases], x, y, name="backprop",
                            arg_names=["weights", "biases", "x", "y"], seed=seed), "backprop")
        _check_grads(net, x, y, dW, db, f"sizes {net.sizes}", seed)
    passed("fix-nielsen-backprop", 3 + (sigmoid is not None))
