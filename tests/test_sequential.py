"""Sequential: the same gradients by three routes (MLP's four equations, the layers' VJPs,
the autodiff tape), and Sequential with bp.train, bp.gradcheck and its own errors."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bplab as bp
from bplab import autodiff as ad
from bplab.layers import (BCELoss, BCEWithLogitsLoss, Dropout, Flatten, Identity, Linear,
                          MSELoss, ReLU, Sigmoid, Softmax, SoftmaxCrossEntropyLoss, Tanh)


def rel(a, b):
    return bp.relative_error(a, b)


# -- MLP (samples as columns) and Sequential (samples as rows) ----------------------------
def test_sequential_linear_sigmoid_linear_equals_the_mlp_to_1e14():
    X, Y = bp.datasets.sine()
    net = bp.MLP([1, 25, 1], hidden="sigmoid", output="identity", loss="mse", seed=0)
    rng = np.random.default_rng(1)
    net.set_weights(net.weights, [rng.normal(size=(25, 1)), rng.normal(size=(1, 1))])
    model = bp.Sequential(Linear.from_weights(net.weights[0], net.biases[0]), Sigmoid(),
                          Linear.from_weights(net.weights[1], net.biases[1]), loss=MSELoss())
    loss_mlp, dW, db = net.gradients(X, Y)
    loss_seq, grads = model.gradients(X.T, Y.T)          # batch first: the transposes
    assert abs(loss_seq - loss_mlp) <= 1e-14 * loss_mlp
    for l, i in enumerate((0, 2)):
        assert rel(grads[f"{i}.W"], dW[l]) < 1e-14
        assert rel(grads[f"{i}.b"], db[l].ravel()) < 1e-14
    out, cache = model.forward(X.T)
    np.testing.assert_allclose(out, net.predict(X).T, rtol=1e-14)
    # dC/dx, which the MLP never computes, against the autodiff tape on the columns layout
    dx, _ = model.backward(model.loss.backward(model.loss.forward(out, Y.T)[1]), cache)
    Xt = ad.Tensor(X)
    a = ad.sigmoid(ad.Tensor(net.weights[0]) @ Xt + net.biases[0])
    ad.square(ad.Tensor(net.weights[1]) @ a + net.biases[1] - Y).mean().backward()
    assert rel(dx, Xt.grad.T) < 1e-13


@given(sizes=st.lists(st.integers(1, 5), min_size=2, max_size=4),
       hidden=st.sampled_from(["sigmoid", "tanh", "relu"]),
       out_loss=st.sampled_from([("identity", "mse"), ("sigmoid", "mse"),
                                 ("sigmoid", "cross_entropy"), ("tanh", "mse")]),
       m=st.integers(1, 6), seed=st.integers(0, 999))
@settings(max_examples=25)
def test_from_mlp_gives_the_mlps_loss_and_gradients(sizes, hidden, out_loss, m, seed):
    output, loss = out_loss
    net = bp.MLP(sizes, hidden=hidden, output=output, loss=loss, seed=seed)
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(sizes[0], m))
    Y = rng.random((sizes[-1], m))
    model = bp.Sequential.from_mlp(net)
    loss_mlp, dW, db = net.gradients(X, Y)
    loss_seq, grads = model.gradients(X.T, Y.T)
    assert abs(loss_seq - loss_mlp) <= 1e-14 * abs(loss_mlp)
    linear = [i for i, layer in enumerate(model) if isinstance(layer, Linear)]
    for l, i in enumerate(linear):
        assert rel(grads[f"{i}.W"], dW[l]) < 1e-13
        assert rel(grads[f"{i}.b"], db[l].ravel()) < 1e-13


# -- the autodiff tape as an independent check ------------------------------------------
def autodiff_loss(model, X, Y):
    """The model's loss rebuilt in bp.autodiff from its layers' parameters (nothing of the
    layers' backward is used); returns the loss tensor and the parameter tensors by name."""
    params = {name: ad.Tensor(p.copy()) for name, p in model.parameters()}
    a = ad.Tensor(X)
    for i, layer in enumerate(model):
        if isinstance(layer, Linear):
            a = a @ params[f"{i}.W"].T + params[f"{i}.b"]
        elif isinstance(layer, Softmax):
            e = ad.exp(a - a.data.max(axis=1, keepdims=True))
            a = e / e.sum(axis=1, keepdims=True)
        elif not isinstance(layer, (Identity, Flatten)):
            a = {Sigmoid: ad.sigmoid, Tanh: ad.tanh, ReLU: ad.relu}[type(layer)](a)
    loss = model.loss
    if isinstance(loss, MSELoss):
        C = ad.square(a - Y).mean()
    elif isinstance(loss, BCEWithLogitsLoss):        # max(z,0) - z y + log(1 + e^-|z|)
        sign = np.sign(a.data)
        C = (ad.relu(a) - a * Y + ad.log(1.0 + ad.exp(-(a * sign)))).mean()
    elif isinstance(loss, BCELoss):
        C = ad.binary_cross_entropy(a, Y)
    else:                                            # log-sum-exp around the row maximum
        shifted = a - a.data.max(axis=1, keepdims=True)
        log_p = shifted - ad.log(ad.exp(shifted).sum(axis=1, keepdims=True))
        C = -(log_p * Y).sum() * (1.0 / X.shape[0])
    C.backward()
    return float(C.data), {name: t.grad for name, t in params.items()}


MODELS = {
    "tanh-mse": lambda: bp.Sequential(Linear(3, 5, seed=1), Tanh(), Linear(5, 2, seed=2),
                                      loss=MSELoss()),
    "relu-softmax-ce": lambda: bp.Sequential(Linear(3, 6, seed=3, gain=2.0), ReLU(),
                                             Linear(6, 4, seed=4),
                                             loss=SoftmaxCrossEntropyLoss()),
    "sigmoid-bce-logits": lambda: bp.Sequential(Linear(3, 4, seed=5), Sigmoid(),
                                                Linear(4, 2, seed=6),
                                                loss=BCEWithLogitsLoss()),
    "unfused-bce": lambda: bp.Sequential(Linear(3, 4, seed=7), Tanh(), Linear(4, 2, seed=8),
                                         Sigmoid(), loss=BCELoss()),
    "deep-identity": lambda: bp.Sequential(Linear(3, 4, seed=9), Sigmoid(), Linear(4, 4),
                                           Identity(), ReLU(), Linear(4, 1), loss=MSELoss()),
}


def data_for(model, N=6, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(N, 3))
    n_out = [layer for layer in model if isinstance(layer, Linear)][-1].n_out
    if isinstance(model.loss, SoftmaxCrossEntropyLoss):
        labels = rng.integers(0, n_out, size=N)
        return X, labels, np.eye(n_out)[labels]
    Y = rng.random((N, n_out))
    return X, Y, Y


@pytest.mark.parametrize("name", MODELS)
def test_layers_agree_with_the_autodiff_tape(name):
    model = MODELS[name]()
    for layer in model:                              # non-zero biases
        if isinstance(layer, Linear):
            layer.params["b"][...] = np.linspace(-0.5, 0.5, layer.n_out)
    X, Y, Y_dense = data_for(model)
    loss, grads = model.gradients(X, Y)
    loss_ad, grads_ad = autodiff_loss(model, X, Y_dense)
    assert abs(loss - loss_ad) <= 1e-13 * abs(loss_ad)
    assert set(grads) == set(grads_ad)
    for key in grads:
        assert rel(grads[key], grads_ad[key]) < 1e-12, key


# -- gradcheck on any model ---------------------------------------------------------------
@pytest.mark.parametrize("name", MODELS)
def test_gradcheck_checks_every_parameter_of_a_sequential(name):
    model = MODELS[name]()
    X, Y, _ = data_for(model)
    X = X + np.sign(X) * 0.01                   # (a tiny push; relu kinks are checked below)
    report = bp.gradcheck(model, X, Y)
    assert report.ok, str(report)
    assert [c.name for c in report.checks] == [n for n, _ in model.parameters()]
    assert report.max_rel_error < 1e-7


def test_gradcheck_names_a_wrong_layer_gradient():
    model = MODELS["tanh-mse"]()
    X, Y, _ = data_for(model)
    _, grads = model.gradients(X, Y)
    bad = dict(grads, **{"2.W": 2 * grads["2.W"], "0.b": None})
    report = bp.gradcheck(model, X, Y, grads=bad)
    assert report.failing == ["0.b", "2.W"]
    assert "missing 1/2 or an extra 2" in report["2.W"].diagnosis
    assert "no gradient given for 0.b" in report["0.b"].diagnosis
    assert "2.W" in str(report)
    with pytest.raises(ValueError, match="grads for a Sequential must be a dict"):
        bp.gradcheck(model, X, Y, grads=[grads["0.W"]])


def test_gradcheck_refuses_dropout_in_training_mode_and_accepts_eval():
    model = bp.Sequential(Linear(3, 4), Tanh(), Dropout(0.5, seed=1), Linear(4, 1),
                          loss=MSELoss())
    X, Y, _ = data_for(model)
    with pytest.raises(ValueError, match=r"layer 2 \(Dropout\(p=0.5\)\) draws a new random "
                                         r"mask.*model.eval\(\)"):
        bp.gradcheck(model, X, Y)
    assert bp.gradcheck(model.eval(), X, Y).ok


def test_mlp_gradcheck_report_is_unchanged():
    net = bp.MLP([2, 3, 1], output="sigmoid", loss="cross_entropy", seed=0)
    X, Y = bp.datasets.xor()
    report = bp.gradcheck(net, X, Y)
    assert [c.name for c in report.checks] == ["W[0]", "b[0]", "W[1]", "b[1]"]
    _, dW, db = net.gradients(X, Y)
    np.testing.assert_array_equal(report["W[1]"].analytic, dW[1])
    wrong = ([g.copy() for g in dW], [g.copy() for g in db])
    wrong[0][0] *= -1
    assert bp.gradcheck(net, X, Y, grads=wrong)["W[0]"].diagnosis == "sign flipped"


# -- bp.train -------------------------------------------------------------------------------
def old_train_loop(net, X, Y, lr, epochs, batch_size, seed):
    """bp.train's loop for an MLP as it was before models went through bplab._model."""
    m = X.shape[1]
    rng = np.random.default_rng(seed)
    losses = []
    for _ in range(epochs):
        if batch_size >= m:
            batches = ((X, Y),)
        else:
            order = rng.permutation(m)
            batches = ((X[:, idx], Y[:, idx])
                       for idx in (order[i:i + batch_size] for i in range(0, m, batch_size)))
        for Xb, Yb in batches:
            A, cache = net._forward(Xb)
            losses.append(net.loss_fn.fn(A, Yb))
            dW, db = net._backward(cache, Yb)
            for W, b, gW, gb in zip(net.weights, net.biases, dW, db):
                gW *= lr
                W -= gW
                gb *= lr
                b -= gb
    return np.array(losses), net.loss_fn.fn(net._forward(X)[0], Y)


@pytest.mark.parametrize("batch_size", [100, 7])
def test_train_on_an_mlp_is_bit_for_bit_the_old_loop(batch_size):
    X, Y = bp.datasets.sine()
    a, b = bp.MLP([1, 6, 1], seed=2), bp.MLP([1, 6, 1], seed=2)
    losses, final = old_train_loop(a, X, Y, 0.3, 30, batch_size, 4)
    history = bp.train(b, X, Y, lr=0.3, epochs=30, batch_size=batch_size, seed=4)
    np.testing.assert_array_equal(history.batch_loss, losses)
    assert history.final_loss == final
    for Wa, Wb in zip(a.weights + a.biases, b.weights + b.biases):
        np.testing.assert_array_equal(Wa, Wb)


@pytest.mark.parametrize("batch_size", [None, 16])
def test_train_a_sequential_like_the_matching_mlp(batch_size):
    X, Y = bp.datasets.sine()
    net = bp.MLP([1, 8, 1], seed=3)
    model = bp.Sequential.from_mlp(net)
    h_mlp = bp.train(net, X, Y, lr=0.05, epochs=60, batch_size=batch_size, seed=1)
    h_seq = bp.train(model, X.T, Y.T, lr=0.05, epochs=60, batch_size=batch_size, seed=1)
    np.testing.assert_allclose(h_seq.batch_loss, h_mlp.batch_loss, rtol=1e-10)
    np.testing.assert_allclose(h_seq.loss, h_mlp.loss, rtol=1e-10)
    assert h_seq.final_loss == pytest.approx(h_mlp.final_loss, rel=1e-10)
    assert h_seq.steps == h_mlp.steps
    assert rel(model[0].params["W"], net.weights[0]) < 1e-10     # rounding only


def test_train_a_softmax_classifier_on_digits_with_labels():
    d = bp.datasets.digits()
    X, labels = d.X_train.T, d.Y_train.argmax(axis=0)
    model = bp.Sequential(Linear(64, 32, seed=0), Tanh(), Dropout(0.1, seed=0),
                          Linear(32, 10, seed=1), loss=SoftmaxCrossEntropyLoss())
    history = bp.train(model, X, labels, lr=0.5, epochs=3, batch_size=64)
    assert history.loss[-1] < 0.5 * history.loss[0]
    model.eval()
    accuracy = np.mean(model.predict(X).argmax(axis=1) == labels)
    assert accuracy > 0.85


# -- Sequential's own surface and errors ---------------------------------------------------
def test_parameters_modes_and_backward():
    model = bp.Sequential(Linear(2, 3), ReLU(), Dropout(0.2), Linear(3, 1), loss=MSELoss())
    assert [n for n, _ in model.parameters()] == ["0.W", "0.b", "3.W", "3.b"]
    assert model.parameters()[0][1] is model[0].params["W"]     # the arrays themselves
    assert model.training and not model.eval().training and model.train().training
    out, cache = model.forward(np.ones((4, 2)))
    dx, grads = model.backward(np.ones_like(out), cache)
    assert dx.shape == (4, 2) and set(grads) == {"0.W", "0.b", "3.W", "3.b"}
    assert "(2): Dropout(p=0.2)" in repr(model)


def test_sequential_errors_name_the_layer():
    model = bp.Sequential(Linear(2, 3), Tanh(), Linear(4, 1), loss=MSELoss())
    with pytest.raises(ValueError, match=r"Linear\(4, 1\) \(layer 2 of the Sequential\) "
                                         r"expects x of shape \(N, 4\).*got shape \(5, 3\)"):
        model.forward(np.ones((5, 2)))
    model = bp.Sequential(Linear(2, 3), Tanh(), Linear(3, 1), loss=MSELoss())
    with pytest.raises(ValueError, match=r"Linear\(2, 3\) \(layer 0 of the Sequential\).*"
                                         r"pass x\.T"):
        bp.train(model, np.ones((2, 5)), np.ones((1, 5)), lr=0.1, epochs=1)
    with pytest.raises(ValueError, match=r"MSELoss\(\) \(the loss of the Sequential\): target "
                                         r"must have the output's shape \(5, 1\).*target\.T"):
        bp.train(model, np.ones((5, 2)), np.ones((1, 5)), lr=0.1, epochs=1)
    with pytest.raises(ValueError, match="Sequential: x contains 1 non-finite"):
        model.forward(np.array([[0.0, np.inf]]))
    with pytest.raises(ValueError, match="Sequential: backward needs the cache returned by "
                                         "this model's own forward; got None"):
        model.backward(np.ones((1, 1)), None)
    _, cache = model.forward(np.ones((3, 2)))
    with pytest.raises(ValueError, match=r"dout must have the shape of the model's output "
                                         r"\(3, 1\); got \(1, 3\)"):
        model.backward(np.ones((1, 3)), cache)
    with pytest.raises(ValueError, match="this model has no loss"):
        bp.Sequential(Linear(2, 1)).gradients(np.ones((1, 2)), np.ones((1, 1)))
    with pytest.raises(ValueError, match="Sequential has no loss to train"):
        bp.train(bp.Sequential(Linear(2, 1)), np.ones((1, 2)), np.ones((1, 1)), lr=0.1,
                 epochs=1)
    with pytest.raises(TypeError, match=r"layer 0 must be a bplab.layers layer.*Sequential\("
                                        r"\*layers\)"):
        bp.Sequential([Linear(2, 1)])
    with pytest.raises(ValueError, match=r"one dtype; got \['float32', 'float64'\]"):
        bp.Sequential(Linear(2, 2, dtype=np.float32), Linear(2, 1))
    with pytest.raises(TypeError, match="needs a model.*a bp.MLP or a bp.Sequential"):
        bp.train("net", np.ones((1, 2)), np.ones((1, 1)), lr=0.1, epochs=1)


def test_check_data_draws_no_dropout_mask():
    model = bp.Sequential(Linear(2, 2), Dropout(0.5, seed=0), loss=MSELoss())
    state = model[1].rng.bit_generator.state
    model.check_data(np.ones((4, 2)), np.ones((4, 2)))
    assert model[1].rng.bit_generator.state == state and model[1].training and model.training


def test_gradcheck_through_flatten_and_an_unfused_softmax():
    from bplab.layers import CategoricalCrossEntropyLoss
    rng = np.random.default_rng(5)
    model = bp.Sequential(Flatten(), Linear(6, 4, seed=1), Tanh(), Linear(4, 3, seed=2),
                          Softmax(), loss=CategoricalCrossEntropyLoss())
    X, labels = rng.normal(size=(5, 2, 3)), rng.integers(0, 3, size=5)
    report = bp.gradcheck(model, X, labels)
    assert report.ok and report.max_rel_error < 1e-8, str(report)
    fused = bp.Sequential(*model.layers[:4], loss=SoftmaxCrossEntropyLoss())
    loss_u, grads_u = model.gradients(X, labels)
    loss_f, grads_f = fused.gradients(X, labels)
    assert abs(loss_u - loss_f) <= 1e-14 * loss_f
    for key in grads_f:
        assert rel(grads_u[key], grads_f[key]) < 1e-13


def test_a_float32_sequential_trains_in_float32():
    X, Y = bp.datasets.sine()
    model = bp.Sequential(Linear(1, 8, dtype=np.float32), Sigmoid(),
                          Linear(8, 1, dtype=np.float32), loss=MSELoss())
    history = bp.train(model, X.T, Y.T, lr=0.1, epochs=50)
    assert all(p.dtype == np.float32 for _, p in model.parameters())
    assert history.loss[-1] < history.loss[0]
    with pytest.raises(ValueError, match=r"Sequential: x has dtype float64, but the layer's "
                                         r"parameters are float32"):
        model.forward(np.ones((2, 1)))


def test_check_data_reruns_the_layer_checks_when_the_model_or_the_data_change():
    """check_data runs the layers' shape checks once per signature (sample shape and dtype,
    layers, their configuration and parameter shapes); any change runs them again."""
    model = bp.Sequential(Linear(3, 4, seed=0), ReLU(), Linear(4, 2, seed=1), loss=MSELoss())
    X, Y = np.ones((5, 3)), np.zeros((5, 2))
    calls = []
    check = model.layers[2]._check_input
    model.layers[2]._check_input = lambda x, where="": calls.append(x.shape) or check(x, where)
    model.gradients(X, Y)
    model.gradients(2 * X, Y)                       # same signature: not checked again
    assert calls == [(1, 4)]
    with pytest.raises(ValueError, match=r"layer 0 of the Sequential"):
        model.gradients(np.ones((5, 4)), Y)        # a sample of another shape
    model.layers[1] = Linear(4, 5, seed=2)          # a layer replaced: checked again
    with pytest.raises(ValueError, match=r"layer 2 of the Sequential"):
        model.gradients(X, Y)
    model.layers[1] = ReLU()
    model.gradients(X, Y)
    assert len(calls) == 3
    model.layers[2].params["W"] = np.zeros((2, 5))  # a parameter of another shape
    with pytest.raises(ValueError):
        model.gradients(X, Y)
    assert len(calls) == 4                          # the one-sample pass ran again
