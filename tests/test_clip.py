"""bplab.optim.clip_grad_norm against torch.nn.utils.clip_grad_norm_: the total norm it
returns and the gradients it scales in place, float64 and float32, every norm order."""
from __future__ import annotations

import numpy as np
import pytest

import bplab as bp
from tests.conftest import require

clip = bp.optim.clip_grad_norm


def grads_dict(seed, scale, dtype=np.float64):
    rng = np.random.default_rng(seed)
    return {"0.W": (scale * rng.normal(size=(4, 3))).astype(dtype),
            "0.b": (scale * rng.normal(size=(4,))).astype(dtype),
            "2.W": (scale * rng.normal(size=(2, 4))).astype(dtype)}


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, np.inf])
@pytest.mark.parametrize("scale, max_norm", [(10.0, 1.0), (0.01, 1.0), (1.0, 0.0)])
def test_equals_torch_clip_grad_norm(dtype, norm_type, scale, max_norm):
    torch = require("torch", "the comparison with torch.nn.utils.clip_grad_norm_")
    g = grads_dict(0, scale, dtype)
    params = []
    for v in g.values():
        t = torch.zeros(v.shape, dtype=torch.from_numpy(v).dtype, requires_grad=True)
        t.grad = torch.from_numpy(v.copy())
        params.append(t)
    ref_total = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type=norm_type).item()
    total = clip(g, max_norm, norm_type=norm_type)
    tol = 1e-13 if dtype == np.float64 else 1e-6
    assert isinstance(total, float)
    assert abs(total - ref_total) <= tol * ref_total
    for (name, v), t in zip(g.items(), params):
        assert v.dtype == dtype, name
        np.testing.assert_allclose(v, t.grad.numpy(), rtol=tol, atol=tol * 1e-3, err_msg=name)


def test_scales_in_place_keeps_the_direction_and_returns_the_norm_before():
    g = grads_dict(1, 5.0)
    before = {k: v.copy() for k, v in g.items()}
    arrays = {k: v for k, v in g.items()}
    total = clip(g, 2.0)
    flat = np.concatenate([v.ravel() for v in before.values()])
    assert total == pytest.approx(np.linalg.norm(flat), rel=1e-14)
    after = np.concatenate([v.ravel() for v in g.values()])
    assert np.linalg.norm(after) == pytest.approx(2.0 * total / (total + 1e-6), rel=1e-14)
    np.testing.assert_allclose(after, flat * (2.0 / (total + 1e-6)), rtol=1e-15)
    assert all(g[k] is arrays[k] for k in g)          # the same arrays, changed in place


def test_below_the_threshold_nothing_changes_and_a_list_works():
    g = list(grads_dict(2, 0.01).values())
    before = [v.copy() for v in g]
    total = clip(g, 10.0)
    assert total < 10.0
    for v, w in zip(g, before):
        np.testing.assert_array_equal(v, w)


def test_nonfinite_norm_raises_when_asked_and_propagates_otherwise():
    g = {"W": np.array([1.0, np.nan])}
    with pytest.raises(ValueError, match=r"clip_grad_norm: the total norm .* nan"):
        clip(g, 1.0, error_if_nonfinite=True)
    assert np.isnan(clip(g, 1.0))
    assert np.isnan(g["W"]).all()                        # as PyTorch: scaled by NaN


@pytest.mark.parametrize("args, kw, err, match", [
    (({"W": [1.0, 2.0]}, 1.0), {}, TypeError, r"gradient 'W' must be a float numpy array"),
    (({"W": np.array([1, 2])}, 1.0), {}, TypeError, r"'W'.*int64"),
    ((5.0, 1.0), {}, TypeError, r"grads must be a dict of arrays"),
    (({"W": np.ones(2)}, -1.0), {}, ValueError, r"max_norm must be a finite number >= 0; "
                                                r"got -1.0"),
    (({"W": np.ones(2)}, np.inf), {}, ValueError, r"max_norm must be a finite"),
    (({"W": np.ones(2)}, True), {}, ValueError, r"max_norm"),
    (({"W": np.ones(2)}, 1.0), {"norm_type": 0}, ValueError, r"norm_type must be a number > 0"),
])
def test_bad_input_is_named(args, kw, err, match):
    with pytest.raises(err, match=match):
        clip(*args, **kw)


def test_read_only_gradient_is_refused():
    g = np.ones(3)
    g.flags.writeable = False
    with pytest.raises(ValueError, match=r"read-only.*g\.copy\(\)"):
        clip([g], 1.0)


def test_no_gradients_give_zero():
    assert clip({}, 1.0) == 0.0
