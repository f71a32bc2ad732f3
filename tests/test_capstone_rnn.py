"""The recurrent capstone (book/part3/capstone_rnn.ipynb), lean: bplab and PyTorch trained
from the same weights on the same batches agree to 1e-8 over 100 steps in float64; the
gradient reaching the first token decays as the chapter predicts."""
from __future__ import annotations

import numpy as np

import bplab as bp
from bplab.recurrence import (decay_prediction, hidden_gradients, recall_batch, recall_model,
                              torch_twin)
from tests.conftest import require

V, D, H = 4, 8, 16


def test_losses_equal_pytorch_to_1e8_over_100_steps():
    torch = require("torch", "the capstone's comparison with PyTorch")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)     # on a busy machine, two threads of tiny ops spin for seconds
    try:
        _train_both(torch)
    finally:
        torch.set_num_threads(threads)


def _train_both(torch):
    T, N, steps = 8, 16, 100
    model = recall_model(V, D, H, seed=0)
    net = torch_twin(model)
    opt = bp.optim.Adam(model.parameters(), lr=2e-2)
    topt = torch.optim.Adam(net.parameters(), lr=2e-2)
    rng = np.random.default_rng(1)
    worst, first = 0.0, None
    for _ in range(steps):
        x, y = recall_batch(rng, N, T, V)
        loss, grads = model.gradients(x, y)
        bp.optim.clip_grad_norm(grads, 1.0)
        opt.step(grads)
        topt.zero_grad()
        tloss = torch.nn.functional.cross_entropy(net(torch.from_numpy(x)), torch.from_numpy(y))
        tloss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        topt.step()
        first = loss if first is None else first
        worst = max(worst, abs(loss - tloss.item()))
    assert worst <= 1e-8, worst
    assert loss < 0.6 * first            # it trained: the agreement is not of a frozen net
    for t, (name, p) in zip(net.parameters(), model.parameters()):
        ref = t.detach().numpy()
        assert np.abs(p - ref).max() <= 1e-8 * np.abs(ref).max(), name


def test_gradient_to_the_first_token_decays_as_predicted():
    T = 30
    model = recall_model(V, D, H, seed=0)
    x, y = recall_batch(np.random.default_rng(5), 64, T, V)
    out, caches = model._forward(x.astype(np.float64))
    dlast = model.loss._backward(model.loss._forward(out, np.eye(V)[y])[1])
    dh_last = model[3]._backward(dlast, caches[3])[0]
    rnn, h = model[1], caches[1][1]
    dh = hidden_gradients(rnn, h, dh_last)
    # the same loop as the layer's BPTT: its dx is (dh ⊙ (1 - h²)) W_ih at every step
    dx = rnn._backward(np.concatenate([np.zeros_like(h[:, :-1]), dh_last[:, None]], 1),
                       caches[1])[0]
    np.testing.assert_allclose(dx, (dh * (1 - h ** 2)) @ rnn.params["weight_ih"],
                               rtol=1e-12, atol=1e-15)
    norms = np.linalg.norm(dh, axis=2)[:, ::-1]            # (N, T), by distance k
    ratio = norms / norms[:, :1]
    bound, rate = decay_prediction(rnn, h)
    assert np.all(ratio <= bound * (1 + 1e-12))             # the rigorous bound holds
    k = np.arange(T)
    measured = np.exp(np.polyfit(k, np.log(ratio.mean(0)), 1)[0])
    assert rate < 1 and measured < 1
    assert abs(np.log(measured) / np.log(rate) - 1) < 0.5, (measured, rate)
    assert ratio.mean(0)[T - 1] < 1e-6                      # the first token: nothing left
