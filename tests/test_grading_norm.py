"""The normalisation and convolution checks, in process: the reference passes, and every
classic mistake the checks know is caught *and named* (no suspect shadows another).

The mutant library (tests/mutants/norm_*.py) grades edited solutions through the sandbox;
this test reaches each suspect of ``checks_norm`` directly, including those no mutant makes.
"""
from __future__ import annotations

import numpy as np
import pytest

from bplab.grading import _references_norm as refs
from bplab.grading import checks
from bplab.grading.checks_norm import _NORM_MESSAGES

CHECK = {"batch": checks.check_batchnorm_backward, "layer": checks.check_layernorm_backward}


def _norm_submission(kind, variant=None):
    def submission(dy, x, gamma, eps):
        dx, dgamma, dbeta = refs.norm_reference(kind, dy, x, gamma, eps)
        if variant is not None:
            dx = refs.norm_variants(kind, dy, x, gamma, eps)[variant]
        return dx, dgamma, dbeta
    return submission


@pytest.mark.parametrize("kind", ["batch", "layer"])
def test_norm_reference_passes_and_each_mistake_is_named(kind, capsys):
    CHECK[kind](_norm_submission(kind), extra=True, seed=1)
    assert "all 7 checks passed" in capsys.readouterr().out
    expected = dict(_NORM_MESSAGES, wrong_axis="the sums run over axis")
    for variant, message in expected.items():
        with pytest.raises(checks.CheckFailed) as info:
            CHECK[kind](_norm_submission(kind, variant), seed=2)
        assert message in str(info.value) and "random seed 2" in str(info.value), variant


def test_norm_shape_mistakes_are_named():
    def not_summed(dy, x, gamma, eps):
        dx, _, dbeta = refs.norm_reference("layer", dy, x, gamma, eps)
        return dx, dy * x, dbeta
    with pytest.raises(checks.CheckFailed, match="not summed over the samples"):
        checks.check_layernorm_backward(not_summed, seed=0)
    with pytest.raises(checks.CheckFailed, match="tuple of three arrays"):
        checks.check_batchnorm_backward(lambda dy, x, gamma, eps: dy, seed=0)


def test_conv_and_maxpool_reference_pass_and_mistakes_are_named(capsys):
    def conv(variant=None):
        def submission(dy, x, W, b, stride, padding):
            out = list(refs.conv_reference(dy, x, W, b, stride, padding))
            if variant:
                k = {"dx_not_flipped": 0, "dW_flipped": 1, "db_mean": 2}[variant]
                out[k] = refs.conv_variants(dy, x, W, b, stride, padding)[variant]
            return tuple(out)
        return submission
    checks.check_conv2d_backward(conv(), extra=True, seed=3)
    for variant, message in (("dx_not_flipped", "flip is wrong"),
                             ("dW_flipped", "dW is flipped"), ("db_mean", "mean of ȳ")):
        with pytest.raises(checks.CheckFailed, match=message):
            checks.check_conv2d_backward(conv(variant), seed=4)

    def pool(variant=None):
        def submission(dy, x):
            if variant:
                return np.ascontiguousarray(refs.maxpool_variants(dy, x)[variant])
            return refs.maxpool_reference(dy, x)
        return submission
    checks.check_maxpool_backward(pool(), extra=True, seed=5)
    assert "maxpool-backward: all 5 checks passed" in capsys.readouterr().out
    for variant, message in (("every_max", "every maximum"), ("last_max", "last maximum"),
                             ("average", "average pooling"), ("everywhere", "copied to every")):
        with pytest.raises(checks.CheckFailed, match=message):
            checks.check_maxpool_backward(pool(variant), seed=6)
