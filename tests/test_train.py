"""Gradient descent: full batch, stochastic, mini-batch; histories; silence."""
import numpy as np
import pytest

import bplab as bp


def data(m=12, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(2, m))
    return X, np.sin(X[:1] + X[1:])


def test_full_batch_step_is_exactly_the_update_rule():
    X, Y = data()
    net = bp.MLP([2, 3, 1], seed=1)
    ref = net.copy()
    loss0, dW, db = ref.gradients(X, Y)
    h = bp.train(net, X, Y, lr=0.1, epochs=1)
    for W, W0, g in zip(net.weights, ref.weights, dW):
        np.testing.assert_allclose(W, W0 - 0.1 * g, rtol=1e-15, atol=1e-15)
    for b, b0, g in zip(net.biases, ref.biases, db):
        np.testing.assert_allclose(b, b0 - 0.1 * g, rtol=1e-15, atol=1e-15)
    assert h.loss[0] == loss0 and h.batch_loss[0] == loss0 and h.steps == 1


def test_history_records_the_loss_before_each_full_batch_update():
    X, Y = data()
    net = bp.MLP([2, 3, 1], seed=1)
    ref = net.copy()
    h = bp.train(net, X, Y, lr=0.2, epochs=5)
    for epoch in range(5):
        loss, dW, db = ref.gradients(X, Y)
        assert h.loss[epoch] == pytest.approx(loss, rel=1e-14)
        for W, gW, b, gb in zip(ref.weights, dW, ref.biases, db):
            W -= 0.2 * gW
            b -= 0.2 * gb
    assert h.final_loss == pytest.approx(ref.loss(X, Y), rel=1e-14)
    assert h.final_loss < h.loss[0]


@pytest.mark.parametrize("batch_size,steps", [(1, 12), (5, 3), (12, 1), (100, 1)])
def test_steps_per_epoch(batch_size, steps):
    X, Y = data()
    h = bp.train(bp.MLP([2, 3, 1]), X, Y, lr=0.05, epochs=4, batch_size=batch_size)
    assert h.steps == 4 * steps and len(h.loss) == 4
    assert h.batch_size == min(batch_size, 12)


def test_minibatch_epoch_loss_is_the_size_weighted_mean_of_its_batches():
    X, Y = data(m=10)
    h = bp.train(bp.MLP([2, 3, 1]), X, Y, lr=0.05, epochs=2, batch_size=4)   # 4 + 4 + 2
    for epoch in range(2):
        b = h.batch_loss[3 * epoch:3 * epoch + 3]
        assert h.loss[epoch] == pytest.approx((4 * b[0] + 4 * b[1] + 2 * b[2]) / 10)


def test_stochastic_gradient_descent_visits_every_sample_once_per_epoch():
    X, Y = data(m=6)
    net = bp.MLP([2, 3, 1], seed=0)
    h = bp.train(net.copy(), X, Y, lr=0.01, epochs=1, batch_size=1, seed=3)
    order = np.random.default_rng(3).permutation(6)
    ref = net.copy()
    for i in order:       # the same updates, one sample at a time, in the shuffled order
        loss, dW, db = ref.gradients(X[:, [i]], Y[:, [i]])
        assert loss == pytest.approx(h.batch_loss[list(order).index(i)], rel=1e-13)
        for W, gW, b, gb in zip(ref.weights, dW, ref.biases, db):
            W -= 0.01 * gW
            b -= 0.01 * gb


def test_same_seed_same_run_other_seed_other_run():
    X, Y = data()
    runs = [bp.train(bp.MLP([2, 4, 1]), X, Y, lr=0.1, epochs=3, batch_size=3, seed=s)
            for s in (5, 5, 6)]
    np.testing.assert_array_equal(runs[0].batch_loss, runs[1].batch_loss)
    assert not np.array_equal(runs[0].batch_loss, runs[2].batch_loss)


def test_training_fits_the_sine_data():
    X, Y = bp.datasets.sine()
    net = bp.MLP([1, 25, 1], seed=0)
    h = bp.train(net, X, Y, lr=0.3, epochs=4000)
    assert h.loss[0] > 150 and h.final_loss < 0.1 * h.loss[0]
    # at lr 0.3 the loss is not monotone (it wobbles, and rises for a while after step
    # 2000), so only the overall descent is asserted
    assert h.final_loss < 10


def test_train_never_prints_and_shows_no_progress_bar_under_pytest(capsys):
    X, Y = data()
    bp.train(bp.MLP([2, 3, 1]), X, Y, lr=0.1, epochs=30_000 // 12, batch_size=1)
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


def test_progress_bar_when_asked(capsys):
    X, Y = data()
    bp.train(bp.MLP([2, 3, 1]), X, Y, lr=0.1, epochs=3, progress=True)
    assert "3/3" in capsys.readouterr().err


def test_train_does_not_modify_the_data():
    X, Y = data()
    X0, Y0 = X.copy(), Y.copy()
    bp.train(bp.MLP([2, 3, 1]), X, Y, lr=0.1, epochs=3, batch_size=5)
    np.testing.assert_array_equal(X, X0)
    np.testing.assert_array_equal(Y, Y0)


@pytest.mark.parametrize("loss", ["half_sse", "mse"])
def test_epoch_loss_is_the_whole_set_loss_for_summed_and_mean_losses(loss):
    # with lr tiny the parameters hardly move within an epoch, so the epoch's loss "as
    # seen" must equal the whole-set loss of the network (for half_sse: the sum over all
    # samples, not a batch_size/m fraction of it)
    X, Y = data(m=12)
    net = bp.MLP([2, 3, 1], loss=loss, seed=0)
    whole = net.loss(X, Y)
    h = bp.train(net, X, Y, lr=1e-12, epochs=1, batch_size=4)
    assert h.loss[0] == pytest.approx(whole, rel=1e-9)
    assert h.final_loss == pytest.approx(whole, rel=1e-9)


def test_half_sse_epoch_loss_is_the_sum_of_its_batches():
    X, Y = data(m=10)
    h = bp.train(bp.MLP([2, 3, 1], loss="half_sse"), X, Y, lr=0.05, epochs=2, batch_size=4)
    for epoch in range(2):
        assert h.loss[epoch] == pytest.approx(h.batch_loss[3 * epoch:3 * epoch + 3].sum())


@pytest.mark.parametrize("batch_size", [None, 5])
def test_a_diverging_run_stops_and_says_so(batch_size):
    X, Y = bp.datasets.sine()
    net = bp.MLP([1, 25, 1], seed=0)
    h = bp.train(net, X, Y, lr=1e10, epochs=500, batch_size=batch_size)
    assert h.diverged and not np.isfinite(h.loss[-1]) and not np.isfinite(h.final_loss)
    assert np.all(np.isfinite(h.loss[:-1])) and np.all(np.isfinite(h.batch_loss[:-1]))
    assert h.epochs == len(h.loss) < 500 and h.steps == len(h.batch_loss)
    assert "training diverged" in h.message and "lr=1e+10" in h.message
    assert "smaller one, e.g. lr=1e+09" in h.message


def test_a_converging_run_is_not_marked():
    X, Y = data()
    h = bp.train(bp.MLP([2, 3, 1]), X, Y, lr=0.1, epochs=5)
    assert not h.diverged and h.message == "" and h.epochs == 5


def test_divergence_keeps_the_record_up_to_the_first_non_finite_loss():
    # the course's diverging example (chapter "Gradient descent"): lr 1.5 on the sine net
    X, Y = bp.datasets.sine()
    h = bp.train(bp.MLP([1, 25, 1], seed=0), X, Y, lr=1.5, epochs=2000)
    assert h.diverged and int(np.argmin(np.isfinite(h.loss))) == len(h.loss) - 1 == 215
