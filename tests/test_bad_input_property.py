"""Issue 11: random garbage (shapes, dtypes, values, non-arrays) fed to the public functions.

Whatever arrives, the only outcomes allowed are a result, or a ValueError / TypeError whose
message names the argument at fault — never numpy's own error, an AttributeError, a
RuntimeWarning (pytest turns bplab's into errors) or a hang. A diverging training run is a
result: a History marked ``diverged`` (see bplab.train).
"""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import bplab as bp
from bplab.gradcheck import numerical_gradient, relative_error

DTYPES = st.sampled_from([np.float64, np.float32, np.int64, np.int8, np.bool_, np.complex128,
                          np.dtype("U3"), np.dtype("O")])
VALUES = st.one_of(st.floats(allow_nan=True, allow_infinity=True, width=32),
                   st.floats(min_value=-1e6, max_value=1e6), st.integers(-5, 5))


@st.composite
def garbage_arrays(draw, max_dims=3):
    dtype = np.dtype(draw(DTYPES))
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=max_dims, min_side=0, max_side=4))
    if dtype.kind in "UO":
        return np.array(draw(st.lists(st.sampled_from(["a", None, 1.5, "1"]),
                                      min_size=1, max_size=4)), dtype=dtype)
    elements = VALUES if dtype.kind in "fc" else (
        st.booleans() if dtype.kind == "b" else st.integers(-5, 5))
    return draw(hnp.arrays(dtype, shape, elements=elements))


GARBAGE = st.one_of(
    garbage_arrays(),
    st.none(), st.text(max_size=3), st.integers(-3, 3), st.floats(allow_nan=True),
    st.booleans(), st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.lists(st.one_of(st.integers(-2, 2), st.floats(-2, 2), st.text(max_size=1),
                       st.lists(st.floats(-2, 2), max_size=3)), max_size=4))


def names_one_of(exc, *names):
    text = str(exc)
    assert any(name in text for name in names), f"{type(exc).__name__}: {text}"


def allowed(call, *names):
    """Run ``call``; an error is allowed only as a ValueError/TypeError naming one of ``names``."""
    try:
        return call()
    except (ValueError, TypeError) as exc:
        names_one_of(exc, *names)
        return None


@given(sizes=GARBAGE, hidden=GARBAGE, output=GARBAGE, loss=GARBAGE, seed=GARBAGE,
       dtype=GARBAGE)
def test_mlp_constructor(sizes, hidden, output, loss, seed, dtype):
    allowed(lambda: bp.MLP(sizes, hidden=hidden, output=output, loss=loss, seed=seed,
                           dtype=dtype),
            "sizes", "hidden", "activation", "loss", "seed", "dtype", "init")


@given(X=GARBAGE, Y=GARBAGE)
def test_forward_gradients_loss(X, Y):
    net = bp.MLP([2, 3, 1], seed=0)
    allowed(lambda: net.forward(X), "X", "output")
    allowed(lambda: net.gradients(X, Y), "X", "Y", "loss", "dW", "db")
    allowed(lambda: net.loss(X, Y), "X", "Y", "loss")


@given(W=GARBAGE, b=GARBAGE)
def test_parameters_replaced_by_garbage(W, b):
    net = bp.MLP([2, 3, 1], seed=0)
    net.weights[0], net.biases[1] = W, b
    X, Y = np.ones((2, 3)), np.zeros((1, 3))
    allowed(lambda: net.forward(X), "weights[0]", "biases[1]", "net.weights", "net.biases")
    allowed(lambda: bp.train(net, X, Y, lr=0.1, epochs=2),
            "weights[0]", "biases[1]", "net.weights", "net.biases")


@given(X=GARBAGE, Y=GARBAGE, lr=GARBAGE, epochs=GARBAGE, batch_size=GARBAGE, seed=GARBAGE)
def test_train(X, Y, lr, epochs, batch_size, seed):
    net = bp.MLP([2, 3, 1], seed=0)
    history = allowed(lambda: bp.train(net, X, Y, lr=lr, epochs=epochs,
                                       batch_size=batch_size, seed=seed),
                      "X", "Y", "lr", "epochs", "batch_size", "seed", "history")
    if history is not None:
        assert history.diverged or np.isfinite(history.final_loss)
        assert history.diverged == bool(history.message)


@given(model=GARBAGE, X=GARBAGE, Y=GARBAGE, h=GARBAGE, tol=GARBAGE, order=GARBAGE)
def test_gradcheck(model, X, Y, h, tol, order):
    allowed(lambda: bp.gradcheck(model, X, Y), "model")
    net = bp.MLP([2, 2, 1], seed=0)
    allowed(lambda: bp.gradcheck(net, X, Y), "X", "Y")
    Xg, Yg = np.ones((2, 2)), np.zeros((1, 2))
    allowed(lambda: bp.gradcheck(net, Xg, Yg, h=h, tol=tol, order=order), "h", "tol", "order")


@given(x=GARBAGE, h=GARBAGE, order=GARBAGE)
def test_numerical_gradient(x, h, order):
    def f():
        return float(np.sum(np.asarray(x, dtype=float) ** 2))
    allowed(lambda: numerical_gradient(f, x, h, order=order), "x", "h", "order", "f ")


@given(a=GARBAGE, b=GARBAGE)
def test_relative_error_and_losses(a, b):
    allowed(lambda: relative_error(a, b), "a ", "b ", "a and b")
    for loss in (bp.mse, bp.half_sse, bp.cross_entropy, bp.losses.cross_entropy_grad):
        allowed(lambda: loss(a, b), "A", "Y")


@pytest.mark.parametrize("fn", [bp.sigmoid, bp.sigmoid_prime, bp.tanh, bp.tanh_prime, bp.relu,
                                bp.relu_prime, bp.identity, bp.identity_prime, bp.step,
                                bp.step_prime])
@given(z=GARBAGE)
def test_activations(fn, z):
    out = allowed(lambda: fn(z), "z")
    if out is not None:
        assert np.asarray(out).dtype.kind == "f"
