"""Checks of the exercises on normalisation and convolution (Part III, chapters 11 and 12).

Each draws random shapes and values with a fresh seed, calls the submission through
:func:`~bplab.grading._checking.call` and compares with :mod:`bplab.layers`; when the answer
is wrong and matches a classic mistake (``_references_norm``), the message names it.
"""
from __future__ import annotations

import numpy as np

from bplab.grading._checking import CheckFailed, as_array, call, compare, fresh_rng, passed
from bplab.grading._references_norm import (conv_reference, conv_variants, maxpool_reference,
                                            maxpool_variants, norm_reference, norm_variants)

__all__ = ["check_batchnorm_backward", "check_layernorm_backward", "check_conv2d_backward",
           "check_maxpool_backward"]


def _triple(out, name, shapes, labels, seed):
    if not isinstance(out, tuple) or len(out) != 3:
        got = f"a tuple of length {len(out)}" if isinstance(out, tuple) else type(out).__name__
        raise CheckFailed(f"{name} should return a tuple of three arrays {labels}; got {got}")
    for value, shape, label in zip(out, shapes, labels.strip("()").split(", ")):
        if isinstance(value, np.ndarray) and value.shape != shape:
            _shape_hint(value.shape, shape, label, seed)
    return out


def _shape_hint(got, want, label, seed):
    """Name the usual shape mistakes of a reduction before the generic message."""
    where = f" (random seed {seed})"
    if len(got) == len(want) + 1 and got[1:] == want:
        raise CheckFailed(f"{label} has shape {got}, expected {want}: it is not summed over "
                          f"the samples (axis 0); a parameter shared by the samples gets the "
                          f"sum of their gradients{where}")
    if got == (1, *want):
        raise CheckFailed(f"{label} has shape {got}, expected {want}: sum over axis 0 without "
                          f"keepdims (the parameter has shape {want}){where}")


_NORM_MESSAGES = {
    "constants": "μ and σ² are treated as constants (x̄ = γȳs, the evaluation-mode formula): "
                 "in training they depend on x, and the two paths through them are missing",
    "no_mean_path": "the path through the mean μ is missing (the term -Σ x̂̄ of (11.6))",
    "no_var_path": "the path through the variance σ² is missing (the term -x̂ Σ x̂̄ x̂ of "
                   "(11.6))",
    "no_gamma": "γ is missing: the gradient reaching x̂ is x̂̄ = γ ȳ",
    "no_1_over_M": "a factor M too large: the 1/M of (11.6) is missing",
    "unbiased": "the variance is divided by M - 1; the normalisation uses the biased one "
                "(divided by M, np.var's default)",
    "eps_ignored": "the argument eps is ignored (a fixed 1e-5 is used)",
}


def _check_norm(kind, fn, name, exercise, extra, seed):
    rng, seed = fresh_rng(seed)
    axis_word = "axis 0 (the batch)" if kind == "batch" else "axis 1 (each sample's features)"
    other_word = "axis 1 (the features): that is layer norm" if kind == "batch" else \
        "axis 0 (the batch): that is batch norm"
    cases = [(5, 3, 1e-5), (4, 7, 0.1), (9, 2, 1e-3)]
    if extra:
        cases += [(7, 4, 1e-5), (3, 10, 0.5), (11, 6, 0.01)]
        cases.append((6, 4, 1e-5))   # and a feature (batch) or sample (layer) held constant
    for k, (N, D, eps) in enumerate(cases):
        x = rng.normal(rng.uniform(-3, 3), rng.uniform(0.5, 3), (N, D))
        if extra and k == len(cases) - 1:
            if kind == "batch":
                x[:, 1] = 2.5
            else:
                x[2] = -1.5
        gamma = rng.normal(1, 0.5, D)
        dy = rng.normal(0, 1, (N, D))
        what = f"x of shape ({N}, {D}), eps = {eps:g}"
        try:
            out = call(fn, dy, x, gamma, eps, name=name, arg_names=["dy", "x", "gamma", "eps"],
                       seed=seed)
        except CheckFailed as exc:
            if "broadcast" in str(exc) and kind == "layer":
                raise CheckFailed(f"{exc}; a sum over axis 1 must keep its axis "
                                  f"(keepdims=True) to broadcast along each row") from None
            raise
        dx, dgamma, dbeta = _triple(out, name, ((N, D), (D,), (D,)),
                                    "(dx, dgamma, dbeta)", seed)
        ref = norm_reference(kind, dy, x, gamma, eps)
        bad = norm_variants(kind, dy, x, gamma, eps)
        suspects = [(m, bad[key]) for key, m in _NORM_MESSAGES.items()]
        suspects.append((f"the sums run over {other_word}; here they run over {axis_word}",
                         bad["wrong_axis"]))
        compare(dx, ref[0], f"dx ({what})", seed=seed, gradient=True, suspects=suspects)
        xhat_wrong = (dy * x).sum(axis=0)
        compare(dgamma, ref[1], f"dgamma ({what})", seed=seed, gradient=True, suspects=[
            ("dgamma = Σ ȳ ⊙ x̂ uses the normalised x̂, not x", xhat_wrong)])
        compare(dbeta, ref[2], f"dbeta ({what})", seed=seed, gradient=True, suspects=[
            ("dbeta is the mean of ȳ over the samples; it is their sum",
             dy.mean(axis=0))])
    passed(exercise, len(cases))


def check_batchnorm_backward(batchnorm_backward, *, extra=False, seed=None):
    """``dx, dgamma, dbeta = batchnorm_backward(dy, x, gamma, eps)``: batch norm in training
    mode (batch statistics, biased variance), ``x: (N, D)``, ``gamma: (D,)``."""
    _check_norm("batch", batchnorm_backward, "batchnorm_backward", "batchnorm-backward",
                extra, seed)


def check_layernorm_backward(layernorm_backward, *, extra=False, seed=None):
    """``dx, dgamma, dbeta = layernorm_backward(dy, x, gamma, eps)``: layer norm over the last
    axis, ``x: (N, D)``, ``gamma: (D,)`` shared by the samples."""
    _check_norm("layer", layernorm_backward, "layernorm_backward", "layernorm-backward",
                extra, seed)


# -- convolution and pooling --------------------------------------------------------------
def check_conv2d_backward(conv2d_backward, *, extra=False, seed=None):
    """``dx, dW, db = conv2d_backward(dy, x, W, b, stride, padding)`` of a 2-D
    cross-correlation, ``x: (N, C, H, W)``, ``W: (F, C, kH, kW)``, ``b: (F,)``."""
    rng, seed = fresh_rng(seed)
    # (N, C, F, H, Wd, kH, kW, stride, padding): non-square kernels and images, so that a
    # transposed or flipped axis cannot fit by luck
    cases = [(2, 3, 4, 5, 6, 3, 2, 1, 0), (3, 2, 3, 7, 6, 3, 3, 2, 1), (1, 1, 2, 6, 5, 2, 3, 1, 2)]
    if extra:
        cases += [(2, 2, 3, 9, 8, 3, 3, 2, 0), (2, 3, 2, 8, 9, 2, 2, 2, 1),
                  (1, 2, 2, 5, 7, 1, 3, 3, 1)]
    for N, C, F, H, Wd, kh, kw, s, p in cases:
        x = rng.normal(0, 1, (N, C, H, Wd))
        W = rng.normal(0, 1, (F, C, kh, kw))
        b = rng.normal(0, 1, F)
        Ho, Wo = (H + 2 * p - kh) // s + 1, (Wd + 2 * p - kw) // s + 1
        dy = rng.normal(0, 1, (N, F, Ho, Wo))
        what = f"x {x.shape}, W {W.shape}, stride {s}, padding {p}"
        out = call(conv2d_backward, dy, x, W, b, s, p, name="conv2d_backward",
                   arg_names=["dy", "x", "W", "b", "stride", "padding"], seed=seed)
        if isinstance(out, tuple) and len(out) == 3 and isinstance(out[0], np.ndarray) \
                and out[0].shape == (N, C, H + 2 * p, Wd + 2 * p) and p:
            raise CheckFailed(f"dx has the padded shape {out[0].shape} ({what}): crop the "
                              f"padding, dx[:, :, P:-P, P:-P], to get x's shape {x.shape} "
                              f"(random seed {seed})")
        if isinstance(out, tuple) and len(out) == 3 and isinstance(out[2], np.ndarray) \
                and out[2].shape == (F, Ho, Wo):
            raise CheckFailed(f"db has shape {out[2].shape}: sum ȳ over the samples and over "
                              f"the output's positions, axes (0, 2, 3), to shape ({F},) "
                              f"(random seed {seed})")
        dx, dW, db = _triple(out, "conv2d_backward", (x.shape, W.shape, (F,)),
                             "(dx, dW, db)", seed)
        ref = conv_reference(dy, x, W, b, s, p)
        bad = conv_variants(dy, x, W, b, s, p)
        compare(dx, ref[0], f"dx ({what})", seed=seed, gradient=True, suspects=[
            ("the kernel's flip is wrong: each ȳ goes back through W as it is, unflipped, "
             "onto the pixels of its window (written as a full convolution of ȳ, that is W "
             "flipped in both spatial axes); yours uses the other orientation",
             bad["dx_not_flipped"])])
        compare(dW, ref[1], f"dW ({what})", seed=seed, gradient=True, suspects=[
            ("dW is flipped in both spatial axes: the forward is a cross-correlation, so "
             "dW[f, c, p, q] = Σ ȳ[n, f, i, j] x_pad[n, c, s·i + p, s·j + q], unflipped",
             bad["dW_flipped"])])
        compare(db, ref[2], f"db ({what})", seed=seed, gradient=True, suspects=[
            ("db is the mean of ȳ; it is the sum over the samples and positions",
             bad["db_mean"])])
    passed("conv2d-backward", len(cases))


def check_maxpool_backward(maxpool_backward, *, extra=False, seed=None):
    """``dx = maxpool_backward(dy, x)``: 2x2 max pooling with stride 2 on ``x: (N, C, H, W)``
    (H, W even); ties go to the first maximum of the window in row-major order."""
    rng, seed = fresh_rng(seed)
    cases = [((2, 3, 4, 6), False), ((1, 2, 6, 4), False), ((2, 2, 4, 4), True)]
    if extra:
        cases += [((3, 1, 8, 6), False), ((2, 3, 6, 8), True)]
    for shape, ties in cases:
        N, C, H, W = shape
        x = (rng.integers(0, 3, shape).astype(np.float64) if ties
             else rng.normal(0, 1, shape))
        dy = rng.normal(0, 1, (N, C, H // 2, W // 2))
        what = f"x of shape {shape}" + (", with ties (values 0, 1, 2)" if ties else "")
        dx = call(maxpool_backward, dy, x, name="maxpool_backward", arg_names=["dy", "x"],
                  seed=seed)
        as_array(dx, f"dx ({what})", shape, seed=seed)
        bad = maxpool_variants(dy, x)
        compare(dx, maxpool_reference(dy, x), f"dx ({what})", seed=seed, gradient=True,
                suspects=[
                    ("ties: every maximum of a tied window gets ȳ; the task sends it to the "
                     "first maximum only (row-major order), as PyTorch does",
                     bad["every_max"]),
                    ("ties: the last maximum of the window gets ȳ; the task asks for the "
                     "first (row-major order)", bad["last_max"]),
                    ("ȳ is spread evenly over the window (ȳ/4): that is average pooling's "
                     "backward; max pooling routes all of ȳ to the maximum",
                     bad["average"]),
                    ("ȳ is copied to every input of the window; only the maximum, which "
                     "alone reached the output, gets it", bad["everywhere"])])
    passed("maxpool-backward", len(cases))
