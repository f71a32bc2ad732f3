r"""Checks of the bug zoo: name a backward pass's defect, and fix it.

Each specimen of the zoo is a backward pass ``dW, db = backward(weights, biases, X, Y)`` with
one classic defect (sigmoid hidden layers, identity output, or a softmax one for specimen 8,
and bplab's ``"mse"`` cost). Two exercises per specimen, graded apart:

* **naming**: ``defect_k()`` returns one id of :data:`DEFECTS` (a string; nothing else the
  submission sends is used), checked by :func:`check_defect`;
* **fixing**: ``backward_k`` returns the right gradients, checked by :func:`check_zoo_fix`
  against the grader's own reference on random networks and batches; a gradient that still
  carries the specimen's defect (or an over-correction of it) gets a message naming it.

>>> checks.check_defect(defect_1, specimen=1)          # doctest: +SKIP
✓ zoo-1-name: all 1 checks passed
"""
from __future__ import annotations

import numpy as np

from bplab.gradcheck import diagnose
from bplab.grading import _references_zoo as ref
from bplab.grading._checking import CheckFailed, call, compare, describe, fresh_rng, passed

__all__ = ["DEFECTS", "check_defect", "check_zoo_fix"]

# id -> (the defect, its fingerprint in a gradient check); the same list for every specimen
DEFECTS = {
    "missing_mean": ("a missing 1/m: the mean over the m samples is not taken",
                     "every array off by one constant factor, which follows the batch size m"),
    "assign_not_accumulate": ("`=` instead of `+=` where a value fans out: a sum of "
                              "contributions keeps only its last term",
                              "right for a batch of one sample, wrong (no simple pattern) for "
                              "more"),
    "prime_of_a": ("σ'(a) used for σ'(z): the derivative applied to the activation",
                   "the output layer right, the layers below wrong; gradcheck says "
                   "'evaluated at a instead of z'"),
    "bias_shape": ("a bias gradient of shape (n,) where (n, 1) was meant",
                   "db of shape (n, n): a (n,) vector met an (n, 1) column and broadcast"),
    "dropped_keepdims": ("a dropped keepdims=True in a sum",
                         "db of shape (n,) holding the right values"),
    "transposed_weight": ("a weight used untransposed: W where Wᵀ belongs",
                          "the output layer right, every layer below wrong without a simple "
                          "pattern"),
    "stale_gradients": ("stale gradients: the previous step's gradient is still in the buffer",
                        "right on the first call; on the same batch, off by a factor 2, then "
                        "3, on later calls"),
    "softmax_diagonal": ("only the diagonal of the softmax's Jacobian",
                         "already the output layer wrong, and its db does not sum to 0 as a "
                         "softmax layer's must"),
    "sign_flipped": ("a flipped sign", "every array exactly -1 times the truth"),
    "missing_prime": ("a missing activation derivative σ'(z)",
                      "gradcheck says 'missing activation derivative'"),
    "missing_factor_2": ("a missing factor 2, the 2 of d/dA (A - Y)²",
                         "every array off by the factor 0.5"),
}

_SPECIMENS = {   # specimen -> (output, the bugs whose gradients are named when they match)
    1: ("identity", [("missing_mean", "the 1/m is still missing: every gradient "
                                      "is m = {m} times too large"),
                     ("twice_mean", "the 1/m is applied twice (an over-correction): every "
                                    "gradient is m = {m} times too small")]),
    2: ("identity", [("last_sample", "only the last sample counts: `=` where `+=` belongs "
                                     "overwrites the earlier samples' "
                                     "gradients")]),
    3: ("identity", [("prime_of_a", "σ'(a) is still used where σ'(z) = a(1 - a) belongs"),
                     ("missing_prime", "σ'(z) is now left out altogether: the fix of σ'(a) "
                                       "is a(1 - a), not 1")]),
    4: ("identity", []),
    5: ("identity", []),
    6: ("identity", [("transposed", "W is still used untransposed when δ goes back: "
                                    "δ(l) = (W(l+1)ᵀ δ(l+1)) ⊙ σ'(z(l))")]),
    7: ("identity", []),
    8: ("softmax", [("softmax_diagonal", "only the diagonal a(1 - a) of the softmax's "
                                         "Jacobian is used: ∂a_i/∂z_k = "
                                         "a_i(δ_ik - a_k) has the terms -a_i a_k too"),
                    ("softmax_unweighted", "the sum must weight dA by a: δ = a ⊙ (dA - "
                                           "Σ_k a_k dA_k)")]),
}


def _specimen(specimen):
    if specimen not in _SPECIMENS:
        raise ValueError(f"specimen must be one of {sorted(_SPECIMENS)}; got {specimen!r}")
    return specimen


def check_defect(defect, *, specimen=None, expect=None, seed=None):
    """``defect()`` returns the id (one of :data:`DEFECTS`) of the specimen's defect.

    ``specimen`` (1-8) takes the answer from the book's key; an instructor's own specimen
    states it with ``expect="<id>"`` in a hidden check cell instead. With neither, only the
    format is checked (one id of the list), as a visible check that gives nothing away.
    """
    fmt = specimen is None and expect is None
    want = expect if expect is not None else None if fmt else ref.ANSWER_KEY.get(
        _specimen(specimen))
    if not fmt and want not in DEFECTS:
        raise ValueError(f"expect must be one of {sorted(DEFECTS)}; got {want!r}")
    name = getattr(defect, "__name__", "defect")
    got = call(defect, name=name, seed=seed)
    ids = ", ".join(DEFECTS)
    if not isinstance(got, str):
        raise CheckFailed(f"{name}() should return one defect id, a string (one of {ids}); "
                          f"got {describe(got)}")
    got = got.strip()
    if got not in DEFECTS:
        raise CheckFailed(f"{name}() returned {got[:40]!r}, which is not a defect id; the "
                          f"ids are: {ids}")
    if fmt:
        print(f"✓ {name}() returns a defect id (whether it is the right one is for the "
              f"hidden tests)")
        return
    if got != want:
        what, looks = DEFECTS[got]
        raise CheckFailed(f"{name}() names {got!r} ({what}), whose fingerprint is: {looks}. "
                          f"That is not what this specimen's gradient check shows: read it "
                          f"again (which arrays, which shapes, by what factor)")
    passed("defect-name" if specimen is None else f"zoo-{specimen}-name", 1)


# -- fixing ------------------------------------------------------------------------------
def _sizes(rng, specimen, n_hidden):
    if specimen == 6:     # square weights above the first layer: the bug stays silent
        n_in, n = (int(v) for v in rng.choice(np.arange(2, 9), 2, replace=False))
        return [n_in] + [n] * (n_hidden + 1)
    return [int(n) for n in rng.choice(np.arange(2, 9), size=n_hidden + 2, replace=False)]


def _network(rng, sizes):
    weights = [rng.normal(0, 1, (n, k)) for k, n in zip(sizes[:-1], sizes[1:])]
    return weights, [rng.normal(0, 0.5, (n, 1)) for n in sizes[1:]]


def _shape_problem(label, got, want):
    shape = np.shape(got)
    if shape == (want.shape[0],) and want.shape[1] == 1:
        return (f"{label} has shape {shape}, expected {want.shape}: the axis of length 1 "
                f"is gone (a sum without keepdims=True, or a flattened vector)")
    if shape == (want.shape[0], want.shape[0]) and want.shape[1] == 1:
        return (f"{label} has shape {shape}, expected {want.shape}: an accumulator of "
                f"shape ({want.shape[0]},) met a column of shape {want.shape} and broadcast "
                f"to a matrix; allocate it with np.zeros((n, 1))")
    return f"{label}: {diagnose(got, want)}"


def _compare_all(out, right, suspects, what, seed):
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        raise CheckFailed(f"the backward pass should return a pair (dW, db); got "
                          f"{describe(out)}")
    L = len(right[0])
    for label, g in zip(("dW", "db"), out):
        if not isinstance(g, (list, tuple)) or len(g) != L:
            raise CheckFailed(f"{what}: {label} should be a list of {L} arrays (one per "
                              f"layer); got {describe(g)}")
    for k, label in enumerate(("dW", "db")):
        for l in range(L):
            got, want = out[k][l], right[k][l]
            name = f"{label}[{l}] ({what})"
            if isinstance(got, np.ndarray) and got.shape != want.shape and \
                    np.issubdtype(got.dtype, np.number):
                raise CheckFailed(f"{_shape_problem(name, got, want)} (random seed {seed})")
            compare(got, want, name, seed=seed, gradient=True,
                    suspects=[(text, s[k][l]) for text, s in suspects])


def check_zoo_fix(backward, *, specimen, seed=None):
    """``dW, db = backward(weights, biases, X, Y)``: the specimen's backward pass, fixed.

    Random networks and batches (fresh each run); for specimen 7 several calls in a row on
    the same network, each of whose gradients must be that call's own.
    """
    rng, seed = fresh_rng(seed)
    output, bugs = _SPECIMENS[_specimen(specimen)]
    name = getattr(backward, "__name__", "backward")
    args = ["weights", "biases", "X", "Y"]
    cases = [(1, 5), (2, 7), (1, 1)] if specimen != 7 else [(1, 4), (1, 6), (1, 3), (2, 5)]
    n = 0
    weights = biases = None
    for i, (n_hidden, m) in enumerate(cases):
        if specimen != 7 or i in (0, len(cases) - 1):    # specimen 7: one net, three calls
            weights, biases = _network(rng, _sizes(rng, specimen, n_hidden))
            history = []
        X = rng.normal(0, 1, (weights[0].shape[1], m))
        Y = rng.uniform(0, 1, (weights[-1].shape[0], m))
        if output == "softmax":
            Y = Y / Y.sum(axis=0, keepdims=True)
        right = ref.grads(weights, biases, X, Y, output=output)
        suspects = [(text.format(m=m), ref.grads(weights, biases, X, Y, output=output,
                                                  bug=bug)) for bug, text in bugs]
        if specimen == 7 and history:
            stale = tuple([sum(g) for g in zip(*(h[k] for h in history), right[k])]
                          for k in (0, 1))
            suspects.append(("stale gradients: the previous calls' gradients are still in "
                             "it; zero the buffers at the start of each call",
                             stale))
        out = call(backward, [W.copy() for W in weights], [b.copy() for b in biases], X, Y,
                   name=name, arg_names=args, seed=seed)
        sizes = [weights[0].shape[1]] + [W.shape[0] for W in weights]
        what = f"sizes {sizes}, m = {m}" + (f", call {len(history) + 1} on this network"
                                            if specimen == 7 else "")
        _compare_all(out, right, suspects, what, seed)
        history.append(right)
        n += 1
    passed(f"zoo-{specimen}-fix", n)
