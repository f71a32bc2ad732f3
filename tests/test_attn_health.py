"""health.block_gradient_norms, the per-block gradient norms the attention chapter measures
the gradient highway with."""
from __future__ import annotations

import numpy as np
import pytest

import bplab as bp
import bplab.health as health
from bplab.layers import Identity, LayerNorm, Linear, MSELoss, MultiHeadSelfAttention, Residual


def test_matches_layer_gradient_norms_at_the_activations_of_a_deep_mlp():
    model = health.deep_mlp(depth=5, width=6, activation="tanh", init="xavier")
    X = np.random.default_rng(0).normal(size=(4, 6))
    blocks = health.block_gradient_norms(model, X, seed=3)
    deltas = health.layer_gradient_norms(model, X, seed=3)
    assert blocks.shape == (len(model.layers),)
    # the input of activation l is the output z of Linear l: its gradient is delta(l)
    np.testing.assert_allclose(blocks[1::2], deltas[:-1], rtol=1e-13)


def test_an_identity_residual_doubles_the_gradient_per_block():
    model = bp.Sequential(*[Residual(Identity()) for _ in range(4)], loss=MSELoss())
    X, Y = np.random.default_rng(1).normal(size=(2, 3, 5))
    norms = health.block_gradient_norms(model, X, Y)
    top = np.linalg.norm(2 * (16 * X - Y) / X.size)          # MSE's gradient at y = 16 x
    np.testing.assert_allclose(norms, top * 2.0 ** np.arange(4, 0, -1), rtol=1e-13)


def test_residual_attention_blocks_pass_the_top_gradient_down():
    x = np.random.default_rng(2).normal(size=(2, 4, 8))
    blocks = [Residual([LayerNorm(8), MultiHeadSelfAttention(8, 2, seed=s)]) for s in range(3)]
    norms = health.block_gradient_norms(bp.Sequential(*blocks), x, seed=0)
    assert norms.shape == (3,) and np.all(np.isfinite(norms)) and np.all(norms > 0)


def test_bad_models_are_refused_with_the_fix():
    with pytest.raises(ValueError, match="must be a bplab Sequential; got Linear"):
        health.block_gradient_norms(Linear(2, 2), np.zeros((1, 2)))
    with pytest.raises(ValueError, match="has no loss: pass Y=None"):
        health.block_gradient_norms(bp.Sequential(Linear(2, 2)), np.zeros((1, 2)),
                                    np.zeros((1, 2)))
