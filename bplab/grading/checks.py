r"""The checks the exercise notebooks call: one function per exercise.

Each check draws random inputs with a fresh seed, compares the submission with bplab's
reference and, for gradients, with finite differences; it prints one line when everything
passes and raises :class:`CheckFailed` (a message naming the mistake) when not.

>>> from bplab.grading import checks
>>> checks.check_sigmoid(my_sigmoid, my_sigmoid_prime)          # doctest: +SKIP
✓ stable-sigmoid: all 6 checks passed
"""
from __future__ import annotations

import numpy as np

import bplab as bp
from bplab.grading._checking import (CheckFailed, CheckTimedOut, as_array, call, call_many,
                                     compare, describe, fresh_rng, passed)
from bplab.grading._references import buggy_hidden_222, rows_222
from bplab.grading.checks_attn import (check_attention_head_backward,
                                       check_masked_softmax_backward)
from bplab.grading.checks_ex1 import (check_adam_step, check_broadcast_add_backward,
                                      check_clip_grad_norm, check_fanout_backward,
                                      check_init_std, check_logsumexp,
                                      check_softmax_ce_backward)
from bplab.grading.checks_networks import (check_backprop_nielsen, check_forward,
                                           check_mlp_backward)
from bplab.grading.checks_norm import (check_batchnorm_backward, check_conv2d_backward,
                                       check_layernorm_backward, check_maxpool_backward)
from bplab.grading.checks_rnn import check_bptt, check_rnn_step_backward
from bplab.grading.checks_training import (check_minibatch_gd, check_numerical_gradient,
                                           check_perceptron)
from bplab.grading.checks_zoo import check_defect, check_zoo_fix

__all__ = ["CheckFailed", "CheckTimedOut", "check_sigmoid", "check_net222", "check_dense_forward",
           "check_dense_backward", "check_mlp_backward", "check_forward", "check_backprop_nielsen",
           "check_numerical_gradient", "check_minibatch_gd", "check_perceptron"]
__all__ += ["check_broadcast_add_backward", "check_fanout_backward", "check_logsumexp",   # 7, 8
            "check_softmax_ce_backward", "check_init_std", "check_clip_grad_norm",
            "check_adam_step"]
__all__ += ["check_batchnorm_backward", "check_layernorm_backward", "check_conv2d_backward",
            "check_maxpool_backward"]                                                   # 9, 10
__all__ += ["check_masked_softmax_backward", "check_attention_head_backward"]           # 12
__all__ += ["check_defect", "check_zoo_fix"]                                            # 13, 14
__all__ += ["check_rnn_step_backward", "check_bptt"]


# -- the sigmoid ------------------------------------------------------------------------
def _check_tail(sigmoid, z, seed):
    s = as_array(call(sigmoid, z, name="sigmoid", arg_names=["z"], seed=seed,
                      warnings_as_errors=True), "sigmoid(z)", z.shape, seed=seed)
    worst = float(np.max(np.abs(s - bp.sigmoid(z)) / bp.sigmoid(z)))
    if worst > 1e-10:
        raise CheckFailed(f"sigmoid loses its relative accuracy in the left tail (z from "
                          f"{z.min():.0f} to {z.max():.0f}, worst relative error {worst:.1e}), "
                          f"which the task asks for: 1 - σ(-z) and 0.5·(1 + tanh(z/2)) both "
                          f"cancel there; use exp(z)/(1 + exp(z)) for z < 0 (random seed {seed})")


def check_sigmoid(sigmoid, sigmoid_prime, *, extra=False, seed=None):
    """Stable sigmoid and its derivative: values, shapes, tails, no overflow warnings.

    The task states every requirement checked here: values to 1e-10, no warning for any
    finite z, and full relative accuracy in the left tail (z down to -700).
    ``extra=True`` (the hidden tests) checks that tail on more random points.
    """
    rng, seed = fresh_rng(seed)
    n = 0
    for shape in [(7,), (3, 4), (2, 3, 2), ()]:
        z = rng.normal(0, 6, shape)
        s = as_array(call(sigmoid, z, name="sigmoid", arg_names=["z"], seed=seed),
                     f"sigmoid(z) for z of shape {shape}", shape, seed=seed)
        compare(s, bp.sigmoid(z), f"sigmoid(z) for z of shape {shape}", tol=1e-10, seed=seed,
                suspects=[("it computes 1/(1 + exp(+z)) = σ(-z): the sign of the exponent is "
                           "flipped (source 003's bug)", bp.sigmoid(-z))])
        d = call(sigmoid_prime, z, name="sigmoid_prime", arg_names=["z"], seed=seed)
        compare(d, bp.sigmoid_prime(z), f"sigmoid_prime(z) for z of shape {shape}", tol=1e-9,
                seed=seed, gradient=True, suspects=[
                    ("it returns z(1 - z), which is σ'(z) written in terms of a = σ(z): apply "
                     "it to σ(z), not to z", z * (1 - z)),
                    ("it returns σ(z), not σ(z)(1 - σ(z))", bp.sigmoid(z)),
                    ("it returns e⁻ᶻ/(1 + e⁻ᶻ) = 1 - σ(z): the denominator must be squared, "
                     "σ'(z) = e⁻ᶻ/(1 + e⁻ᶻ)² = σ(z)(1 - σ(z))", bp.sigmoid(-z))])
        n += 2
    # internal consistency: your derivative against central differences of your sigmoid
    z, h = rng.uniform(-5, 5, 9), 1e-5
    plus = as_array(call(sigmoid, z + h, name="sigmoid", seed=seed), "sigmoid(z)", z.shape,
                    seed=seed)
    minus = as_array(call(sigmoid, z - h, name="sigmoid", seed=seed), "sigmoid(z)", z.shape,
                     seed=seed)
    compare(call(sigmoid_prime, z, name="sigmoid_prime", seed=seed), (plus - minus) / (2 * h),
            "sigmoid_prime(z) against finite differences of your sigmoid", tol=1e-6, seed=seed,
            gradient=True)
    n += 1
    z = np.array([-1000.0, -745.0, -50.0, 0.0, 50.0, 745.0, 1000.0])
    try:
        s = call(sigmoid, z, name="sigmoid", arg_names=["z"], warnings_as_errors=True)
    except CheckFailed as exc:
        raise CheckFailed(f"sigmoid is not stable at z = ±1000: {exc}. Never take exp of a "
                          f"large positive number: use exp(-|z|) (see the hint)") from None
    compare(s, bp.sigmoid(z), "sigmoid at z = ±1000, ±745, ±50, 0", tol=1e-12)
    n += 1
    _check_tail(sigmoid, np.array([-700.0, -300.0, -100.0, -40.0]), seed)
    n += 1
    if extra:
        _check_tail(sigmoid, -rng.uniform(20, 700, 50), seed)
        n += 1
    passed("stable-sigmoid", n)


# -- the 2-2-2 network of source 001 -----------------------------------------------------
_W1_KEYS, _W2_KEYS = (("w1", "w3"), ("w2", "w4")), (("w5", "w7"), ("w6", "w8"))


def _as_matrices(w):
    return (np.array([[w[k] for k in row] for row in _W1_KEYS], dtype=float),
            np.array([[w[k] for k in row] for row in _W2_KEYS], dtype=float))


def check_net222(gradients_222, *, name="gradients_222", exercise="net222-gradients",
                 seed=None):
    """The eight gradients of the 2-2-2 net (sigmoid units, C = ½‖o - y‖², no biases)."""
    rng, seed = fresh_rng(seed)
    data = bp.datasets.net222()
    cases = [(data.x, data.y, dict(data.w))]
    for _ in range(4):
        w = {k: float(v) for k, v in zip(sorted(data.w), rng.normal(0, 1, 8))}
        cases.append((rng.uniform(-1, 1, (2, 1)), rng.uniform(0.05, 0.95, (2, 1)), w))
    for x, y, w in cases:
        net = bp.MLP([2, 2, 2], hidden="sigmoid", output="sigmoid", loss="half_sse")
        net.set_weights(_as_matrices(w))
        _, (dW1, dW2), _ = net.gradients(x, y)
        got = call(gradients_222, x, y, w, name=name, arg_names=["x", "y", "w"], seed=seed)
        if not isinstance(got, dict) or set(got) != set(w):
            keys = sorted(got) if isinstance(got, dict) else type(got).__name__
            raise CheckFailed(f"{name} should return a dict with the keys 'w1' ... 'w8' (the "
                              f"gradient of C with respect to each weight); got {keys}")
        for k, v in got.items():
            as_array(np.asarray(v, dtype=float).reshape(()) if np.size(v) == 1 else v,
                     f"the gradient for {k}", (), seed=seed)
        G1, G2 = _as_matrices({k: float(np.asarray(v).reshape(())) for k, v in got.items()})
        W1, W2 = net.weights
        bug1, _ = buggy_hidden_222(x, y, W1, W2)
        rows1, rows2 = rows_222(x, y, W1, W2)
        rows = ("the weights are read row by row: the task's layout has z_h1 = w1·x1 + "
                "w3·x2 and z_o1 = w5·h1 + w7·h2 (w2 and w6 go to the second unit)")
        o = net.forward(x)[0]
        h = bp.sigmoid(W1 @ x)
        untransposed = ((W2 @ ((o - y) * o * (1 - o))) * h * (1 - h)) @ x.T
        compare(G2, dW2, "the gradient for the output weights w5..w8", seed=seed,
                gradient=True, suspects=[("the output's σ'(z) = o(1 - o) is missing",
                                          (o - y) @ h.T), (rows, rows2)])
        compare(G1, dW1, "the gradient for the hidden weights w1..w4", seed=seed,
                gradient=True, suspects=[
                    ("this is source 001's bug: the error sent back to h1 must be "
                     "δo1·w5 + δo2·w6 (deltas times output *weights*); d_w5 + d_w6 are "
                     "gradients that already contain h1 and h2", bug1),
                    ("W2 is not transposed: h1 gets δo1·w5 + δo2·w6 back, through the two "
                     "weights that leave it, not δo1·w5 + δo2·w7", untransposed), (rows, rows1)])
    passed(exercise, len(cases))


# -- one dense layer ---------------------------------------------------------------------
def _layer_case(rng):
    n_in, n_out, m = (int(v) for v in rng.choice(np.arange(2, 9), 3, replace=False))
    return (rng.normal(0, 1, (n_in, m)), rng.normal(0, 1, (n_out, n_in)),
            rng.normal(0, 1, (n_out, 1)))


def check_dense_forward(dense_forward, *, seed=None):
    """``a, (a_prev, z) = dense_forward(a_prev, W, b)`` with a sigmoid layer."""
    rng, seed = fresh_rng(seed)
    for _ in range(3):
        a_prev, W, b = _layer_case(rng)
        z = W @ a_prev + b
        out = call(dense_forward, a_prev, W, b, name="dense_forward",
                   arg_names=["a_prev", "W", "b"], seed=seed)
        if not isinstance(out, tuple) or len(out) != 2:
            raise CheckFailed(f"dense_forward should return a pair (a, cache); got "
                              f"{type(out).__name__}")
        a, cache = out
        compare(a, bp.sigmoid(z), "a", seed=seed, suspects=[
            ("σ was not applied: that is z", z),
            ("the bias b is missing", bp.sigmoid(W @ a_prev))])
        if not isinstance(cache, tuple) or len(cache) != 2:
            raise CheckFailed(f"the cache should be the pair (a_prev, z); got {describe(cache)}")
        compare(cache[0], a_prev, "cache[0] (a_prev)", tol=0, seed=seed)
        compare(cache[1], z, "cache[1] (z)", seed=seed,
                suspects=[("it holds a = σ(z); the backward pass needs z", bp.sigmoid(z))])
    passed("dense-forward", 3)


def _against_differences(dense_forward, dA, inputs, grads, seed, h=1e-5):
    """Your gradients against central differences of C = sum(dA * a) through your forward."""
    for k, (label, g) in enumerate(zip(("dA_prev", "dW", "db"), grads)):
        arg_lists = []
        for i in np.ndindex(inputs[k].shape):
            for step in (h, -h):
                moved = inputs[k].copy()
                moved[i] += step
                arg_lists.append([*inputs[:k], moved, *inputs[k + 1:]])
        outs = call_many(dense_forward, arg_lists, name="dense_forward", seed=seed)
        C = [float(np.sum(dA * as_array(o[0] if isinstance(o, tuple) else o, "a", dA.shape,
                                        seed=seed))) for o in outs]
        numeric = ((np.array(C[0::2]) - np.array(C[1::2])) / (2 * h)).reshape(inputs[k].shape)
        compare(g, numeric, f"{label} against finite differences of your own dense_forward",
                tol=1e-6, seed=seed, gradient=True)


def check_dense_backward(dense_backward, dense_forward=None, *, seed=None):
    """``dW, db, dA_prev = dense_backward(dA, cache, W)`` for a sigmoid layer.

    With ``dense_forward`` (yours), also checks the gradients against finite differences of
    ``C = sum(dA * a)`` through your own forward pass.
    """
    rng, seed = fresh_rng(seed)
    for _ in range(3):
        a_prev, W, b = _layer_case(rng)
        z = W @ a_prev + b
        dA = rng.normal(0, 1, z.shape)
        Delta = dA * bp.sigmoid_prime(z)
        out = call(dense_backward, dA, (a_prev, z), W, name="dense_backward",
                   arg_names=["dA", "cache", "W"], seed=seed)
        if not isinstance(out, tuple) or len(out) != 3:
            raise CheckFailed("dense_backward should return a triple (dW, db, dA_prev); got "
                              f"{type(out).__name__}")
        dW, db, dA_prev = out
        no_sp = "σ'(z) is missing: multiply dA by σ'(z) = a(1 - a) first"
        unsquared = ("σ'(z) is written e⁻ᶻ/(1 + e⁻ᶻ) = 1 - σ(z): the denominator must be "
                     "squared, σ'(z) = e⁻ᶻ/(1 + e⁻ᶻ)² = σ(z)(1 - σ(z))")
        compare(dW, Delta @ a_prev.T, "dW", seed=seed, gradient=True,
                suspects=[(no_sp, dA @ a_prev.T),
                          (unsquared, (dA * bp.sigmoid(-z)) @ a_prev.T)])
        compare(db, Delta.sum(axis=1, keepdims=True), "db", seed=seed, gradient=True,
                suspects=[(no_sp, dA.sum(axis=1, keepdims=True))])
        compare(dA_prev, W.T @ Delta, "dA_prev (the gradient passed back)", seed=seed,
                gradient=True, suspects=[(no_sp, W.T @ dA)])
        if dense_forward is not None:
            _against_differences(dense_forward, dA, [a_prev, W, b], (dA_prev, dW, db), seed)
    passed("dense-backward", 3)
