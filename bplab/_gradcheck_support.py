"""Support for :func:`bplab.gradcheck.gradcheck`: reading user-supplied gradients without
crashing, and the reference gradients of common activation-derivative bugs, against which a
disagreeing gradient is matched to name its bug."""
from __future__ import annotations

import numpy as np

RESOLUTION = "the resolution of finite differences"


def backward_variant(net, cache, Y, prime):
    """The backward pass of ``net`` with ``prime(l, a, z)`` as layer ``l``'s derivative."""
    L = net.n_layers
    A = cache.a[-1]
    delta = net.loss_fn.grad(A, Y) * prime(L - 1, A, cache.z[-1])
    grads = [None] * (2 * L)
    for l in range(L - 1, -1, -1):
        grads[2 * l] = delta @ cache.a[l].T
        grads[2 * l + 1] = delta.sum(axis=1, keepdims=True)
        if l > 0:
            delta = (net.weights[l].T @ delta) * prime(l - 1, cache.a[l], cache.z[l - 1])
    return grads


def bug_references(net, X, Y):
    """Named gradients of the activation-derivative bugs, one list (like ``parameters``)
    per bug, most specific first."""
    _, cache = net._forward(X)
    acts = net.activations
    L = net.n_layers
    variants = []

    def layer_name(l):
        return (f"layer {l + 1} (the {'output' if l == L - 1 else 'hidden'} layer of "
                f"W[{l}], {acts[l].name})")

    def correct(l, a, z):
        return acts[l].prime_from_a(a)

    for k in range(L - 1, -1, -1):
        if acts[k].name in ("identity", "step"):
            continue    # f' = 1 (nothing to leave out) or f' = 0 (nothing to train)
        variants.append((
            f"missing activation derivative: the factor f'(z) of {layer_name(k)} is left "
            f"out of its delta",
            lambda l, a, z, k=k: np.ones_like(a) if l == k else correct(l, a, z)))
    if sum(f.name not in ("identity", "step") for f in acts) > 1:
        variants.append((
            "missing activation derivative: every layer's factor f'(z) is left out",
            lambda l, a, z: np.ones_like(a)))
    for k in range(L - 1, -1, -1):
        if acts[k].name in ("sigmoid", "tanh"):
            variants.append((
                f"activation derivative evaluated at a instead of z in {layer_name(k)}: "
                f"f'(a) = f'(f(z)); use f'(z), or a(1 - a) for the sigmoid",
                lambda l, a, z, k=k: acts[l].prime(a) if l == k else correct(l, a, z)))
    return [(name, backward_variant(net, cache, Y, p)) for name, p in variants]


def as_gradient(g, name):
    """``(array, None)`` or ``(None, diagnosis)`` for one user-supplied gradient."""
    if g is None:
        return None, f"no gradient given for {name} (None)"
    if hasattr(g, "detach") and callable(g.detach):     # a PyTorch tensor
        g = g.detach().cpu().numpy()
    try:
        arr = np.asarray(g)
    except Exception as exc:    # ragged lists and other oddities: report, never crash
        return None, f"could not be read as a numeric array ({type(exc).__name__}: {exc})"
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        return None, (f"not a numeric array (dtype {arr.dtype}); gradients are float arrays "
                      f"shaped like the parameters")
    if np.issubdtype(arr.dtype, np.complexfloating):
        return None, f"complex values (dtype {arr.dtype}); gradients are real"
    return arr.astype(np.float64), None


def split_grads(grads, n_layers):
    if isinstance(grads, (str, bytes, dict)) or not hasattr(grads, "__len__") \
            or len(grads) != 2:
        got = f"{len(grads)} items" if hasattr(grads, "__len__") else type(grads).__name__
        hint = (" If you passed the result of net.gradients(X, Y), drop the loss: "
                "grads=(dW, db).") if hasattr(grads, "__len__") and len(grads) == 3 else ""
        raise ValueError(f"grads must be a pair (dW, db) of lists with one array per layer; "
                         f"got {got}.{hint}")
    out = []
    for label, seq in zip(("dW", "db"), grads):
        if isinstance(seq, np.ndarray) and n_layers == 1 and seq.ndim == 2:
            seq = [seq]
        if isinstance(seq, (str, bytes)) or not hasattr(seq, "__len__") \
                or len(seq) != n_layers:
            got = f"{len(seq)} entries" if hasattr(seq, "__len__") else type(seq).__name__
            raise ValueError(f"{label} must list one array per layer: expected {n_layers} "
                             f"for this network, got {got}.")
        out.append(list(seq))
    return out


def loss_rounding(net, X, Y) -> float:
    r"""A bound on the rounding error of the loss :math:`C(\theta)` as the network computes
    it, to first order: every pre-activation :math:`z^{(l)} = W a + b` is off by up to
    :math:`\gamma_n (|W||a| + |b|)` with :math:`\gamma_n = (n_{in} + 2)\epsilon`, every
    activation by :math:`\epsilon |a|`, and the loss's own sum by
    :math:`(2 + \log_2 N)\epsilon |C|`; each error reaches :math:`C` multiplied by the
    gradient of :math:`C` with respect to it (:math:`\delta^{(l)}` for :math:`z^{(l)}`).
    A central difference with step :math:`h` is then uncertain by about this bound over
    :math:`h` — the resolution below which it cannot tell two gradients apart."""
    if not all(hasattr(net, k) for k in ("weights", "biases", "activations", "_forward")):
        eps = np.finfo(np.float64).eps
        loss = float(net.loss_value(X, Y))   # a Sequential: the loss alone, no backward
        return 64 * eps * abs(loss)          # any other model: a generous multiple of eps|C|
    eps = float(np.finfo(net.dtype).eps)
    A, cache = net._forward(X)
    C = float(net.loss_fn.fn(A, Y))
    err = (2 + np.log2(A.size)) * abs(C)
    dA = net.loss_fn.grad(A, Y)                        # dC/da of the output layer
    if net.loss_name == "cross_entropy":               # without the clamp of its gradient
        dA = (A - Y) / np.maximum(A * (1.0 - A), 1e-300) / A.size
    for l in range(net.n_layers - 1, -1, -1):
        a_prev, a = cache.a[l], cache.a[l + 1]
        err += float(np.sum(np.abs(dA * a)))           # rounding of a = f(z)
        delta = dA * net.activations[l].prime_from_a(a)
        n_in = net.weights[l].shape[1]
        bound = (n_in + 2) * (np.abs(net.weights[l]) @ np.abs(a_prev) + np.abs(net.biases[l]))
        err += float(np.sum(np.abs(delta) * bound))    # rounding of z = W a + b
        dA = net.weights[l].T @ delta
    return eps * err


def within_resolution(net, analytic, numeric, resolution):
    """``(ok, verdict)`` if ``analytic`` and ``numeric`` differ by less than the finite
    differences can resolve (not a bug: below the noise floor a relative error means
    nothing), else None. ``ok`` is False when that resolution is coarser than a tenth of the
    gradient: then the check cannot tell (reported as such, not as a disagreement)."""
    diff = float(np.linalg.norm(analytic - numeric))
    scale = max(np.linalg.norm(analytic), np.linalg.norm(numeric))
    float32 = getattr(net, "dtype", None) == np.float32
    if not diff <= resolution or (float32 and resolution > 0.1 * scale):
        return None     # (float32 at a step too small to resolve 10%: see gradcheck's hint)
    f32 = ", coarse in float32: check a float64 copy of the network" if float32 else ""
    if scale <= resolution:
        return True, (f"agrees: the gradient itself is below {RESOLUTION} ({resolution:.1e} "
                      f"here), so it cannot be checked at this scale"
                      f"{f32 or ': scale the inputs up'}")
    if resolution > 0.1 * scale:
        return False, (f"cannot be checked at this scale: {RESOLUTION} ({resolution:.1e} "
                       f"here) is coarser than a tenth of the gradient (norm {scale:.1e}); "
                       f"not evidence of a bug: use a larger h or less extreme inputs")
    return True, (f"agrees: the difference {diff:.1e} is below {RESOLUTION} "
                  f"({resolution:.1e} here: the loss's rounding error over h){f32}")


def clamped_only(net, X, Y, analytic, numeric, failing, tol, resolution):
    """Indices of the failing arrays whose only disagreement is the cross-entropy's clamp.

    Like PyTorch's BCELoss, :func:`bplab.losses.cross_entropy_grad` divides by
    ``max(A(1 - A), 1e-12)``: where a sigmoid output saturates beyond that, the gradient is
    deliberately smaller than the loss's derivative. An array is explained by the clamp if it
    equals the network's own (clamped) gradient and the unclamped gradient, in which the
    sigmoid's derivative cancels (``delta = (A - Y) / N``), agrees with finite differences.
    """
    if not failing or getattr(net, "loss_name", None) != "cross_entropy" \
            or getattr(net, "output", None) != "sigmoid":
        return []
    A, cache = net._forward(X)
    if not np.any(A * (1.0 - A) < 1e-12):
        return []
    own = [g for pair in zip(*net._backward(cache, Y)) for g in pair]

    L = net.n_layers
    # where A is exactly 0 or 1 the loss's log is clamped too (flat): there the clamped
    # gradient, 0, is the loss's derivative; elsewhere the sigmoid's derivative cancels
    clamped = net.loss_fn.grad(A, Y) * net.activations[-1].prime_from_a(A)
    delta = np.where(A * (1.0 - A) > 0, (A - Y) / A.size, clamped)
    unclamped = [None] * (2 * L)
    for l in range(L - 1, -1, -1):
        unclamped[2 * l] = delta @ cache.a[l].T
        unclamped[2 * l + 1] = delta.sum(axis=1, keepdims=True)
        if l > 0:
            delta = (net.weights[l].T @ delta) * net.activations[l - 1].prime_from_a(cache.a[l])

    def close(a, b, t, floor=0.0):
        a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
        d = np.linalg.norm(a) + np.linalg.norm(b)
        return a.shape == b.shape and (d == 0 or np.linalg.norm(a - b) / d < t
                                       or np.linalg.norm(a - b) <= floor)

    return [i for i in failing if analytic[i] is not None and close(analytic[i], own[i], 1e-9)
            and close(unclamped[i], numeric[i], tol, resolution[i])]
