"""Attention and the transformer capstone, bplab against PyTorch eager (issue 15's speed item).

Usage: python -m bench.attention [--repeats 7] [--out bench/results]
       (with the environment of ``make bench``: ``env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE
       OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1``)

Writes ``results/attention.{json,md}``, in the layout of ``results/conv.json``. As
``bench.conv``: one thread for numpy's BLAS and for PyTorch, CPU time
(``time.process_time``), the runners interleaved in an order that rotates from repeat to
repeat, one ratio per repeat, the median and the spread (min-max). Two kinds of entry:

* **block**: a pre-LN attention block ``x + MHSA(LN(x))`` (``Residual([LayerNorm,
  MultiHeadSelfAttention])``), forward and backward, ``_forward``/``_backward`` (what
  ``Sequential`` runs) against the same function written with ``F.layer_norm``,
  ``F.linear`` and ``F.scaled_dot_product_attention(is_causal=True)`` and ``y.backward``;
* **capstone step**: one training step of the capstone's model
  (``book/part3/capstone_transformer.ipynb``): ``model.gradients(X, Y)`` then
  ``Adam.step`` against ``zero_grad``, forward, ``F.cross_entropy``, ``backward``,
  ``torch.optim.Adam.step``.

The ``stages`` of an entry split bplab's time by layer (each layer's forward and backward,
timed alone on the cached inputs of one step): where the time goes.
"""
from __future__ import annotations

import numpy as np
import torch

from bench import _part3
from bench._part3 import DTYPES, interleaved, stage_lines, timed
import bplab as bp
from bplab.layers import LayerNorm, MultiHeadSelfAttention, Residual, transformer
from bench.transformer_torch import TorchTransformer

F = torch.nn.functional

# (name, kind, N, T, D, H, calls per timed sample)
SHAPES = [("block: batch 64, T 12, D 32, 2 heads (the capstone's)", "block", 64, 12, 32, 2, 40),
          ("block: batch 32, T 64, D 64, 4 heads", "block", 32, 64, 64, 4, 10),
          ("capstone step: batch 64, T 12, D 32, 2 heads, 1 block", "step", 64, 12, 32, 2, 20)]


def _torch_block(p, x, H, eps):
    N, T, D = x.shape
    a = F.layer_norm(x, (D,), p["0.weight"], p["0.bias"], eps)
    q, k, v = (F.linear(a, p[f"1.W_{n}"], p[f"1.b_{n}"]).reshape(N, T, H, D // H)
               .transpose(1, 2) for n in "qkv")
    o = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    return x + F.linear(o.transpose(1, 2).reshape(N, T, D), p["1.W_o"], p["1.b_o"])


def block_runners(shape, dtype):
    _, _, N, T, D, H, _ = shape
    rng = np.random.default_rng(0)
    block = Residual([LayerNorm(D, dtype=dtype), MultiHeadSelfAttention(D, H, dtype=dtype)])
    for name, arr in block.params.items():
        if "b_" in name or "bias" in name:
            arr[...] = rng.normal(scale=0.1, size=arr.shape)
    x = rng.normal(size=(N, T, D)).astype(dtype)
    dout = rng.normal(size=(N, T, D)).astype(dtype)

    def ours():
        y, cache = block._forward(x)
        return block._backward(dout, cache)

    p = {n: torch.tensor(a.copy(), requires_grad=True) for n, a in block.params.items()}
    xt, dt = torch.from_numpy(x).requires_grad_(), torch.from_numpy(dout)

    def theirs():
        xt.grad = None
        for t in p.values():
            t.grad = None
        _torch_block(p, xt, H, 1e-5).backward(dt)
        return xt.grad, {n: t.grad for n, t in p.items()}

    (dx, grads), (tdx, tgrads) = ours(), theirs()
    err = max(_rel(dx, tdx), *(_rel(grads[n], tgrads[n]) for n in grads if n != "1.b_k"))
    layers = [("LayerNorm", block.layers[0]), ("MultiHeadSelfAttention", block.layers[1])]
    return {"bplab": ours, "torch": theirs}, err, (layers, x, dout)


def _rel(a, t):
    t = t.numpy()
    return float(np.abs(a - t).max() / np.abs(t).max())


def capstone_batch(N, T, seed=0):
    """A batch of the capstone's task: T/2 digits, a separator, the reversal (targets)."""
    L = T // 2
    digits = np.random.default_rng(seed).integers(0, 10, (N, L))
    r = digits[:, ::-1]
    X = np.concatenate([digits, np.full((N, 1), 10), r[:, :-1]], axis=1)
    Y = np.concatenate([np.full((N, L), -100), r], axis=1)
    return X, Y


def step_runners(shape, dtype):
    _, _, N, T, D, H, _ = shape
    model = transformer(11, 10, T, d_model=D, num_heads=H, num_blocks=1, seed=0, dtype=dtype)
    ref = TorchTransformer(model)
    X, Y = capstone_batch(N, T)
    Xt, Yt = torch.from_numpy(X), torch.from_numpy(Y)
    loss, grads = model.gradients(X, Y)
    ref_loss = ref.loss(Xt, Yt)
    ref_loss.backward()
    err = max(_rel(grads[n], ref.named[n].grad) for n in grads if not n.endswith("b_k"))
    opt = bp.optim.Adam(model.parameters(), lr=1e-3)
    ref_opt = torch.optim.Adam(ref.parameters(), lr=1e-3)

    def ours():
        loss, grads = model.gradients(X, Y)
        opt.step(grads)
        return loss

    def theirs():
        ref_opt.zero_grad()
        loss = ref.loss(Xt, Yt)
        loss.backward()
        ref_opt.step()
        return loss

    Xc, Yc = model.check_data(X, Y)
    def label(i, layer):
        if isinstance(layer, Residual):
            kind = ("attention" if any(isinstance(inner, MultiHeadSelfAttention)
                                       for inner in layer.layers) else "MLP")
            return f"{i}: {kind} block (Residual)"
        return f"{i}: {type(layer).__name__}"

    layers = [(label(i, layer), layer) for i, layer in enumerate(model.layers)]
    layers.append(("loss", model.loss))
    extra = {"Sequential.check_data (input checks)": lambda: model.check_data(X, Y),
             "Adam.step": lambda: opt.step(grads)}
    return {"bplab": ours, "torch": theirs}, err, (layers, Xc, Yc, extra)


def stages_of(layers, x, dout_or_y, calls, extra=None):
    """bplab's CPU time per call, by layer: each layer's forward and backward, timed alone."""
    out, h, caches = {}, x, []
    for name, layer in layers:
        if name == "loss":
            break
        h, cache = layer._forward(h)
        caches.append((h, cache))
    if layers[-1][0] == "loss":
        _, lcache = layers[-1][1]._forward(h, dout_or_y)
        g = layers[-1][1]._backward(lcache)
    else:
        g = dout_or_y
    grads_in = {}
    for (name, layer), (_, cache) in zip(reversed(layers[:len(caches)]), reversed(caches)):
        grads_in[name] = g
        g = layer._backward(g, cache)[0]
    h = x
    for (name, layer), (y, cache) in zip(layers, caches):
        fns = {f"{name} forward": (lambda layer=layer, h=h: layer._forward(h)),
               f"{name} backward": (lambda layer=layer, g=grads_in[name], c=cache:
                                    layer._backward(g, c))}
        h = y
        for key, f in fns.items():
            out[key] = timed(f, calls)
    if layers[-1][0] == "loss":
        loss = layers[-1][1]
        out["loss forward + backward"] = timed(
            lambda: loss._backward(loss._forward(h, dout_or_y)[1]), calls)
    for key, f in (extra or {}).items():
        out[key] = timed(f, calls)
    return out


def time_shape(shape, dtype, repeats):
    calls = shape[-1]
    if shape[1] == "block":
        run, err, (layers, x, dout) = block_runners(shape, dtype)
        stage_args = (layers, x, dout, calls)
    else:
        run, err, (layers, X, Y, extra) = step_runners(shape, dtype)
        stage_args = (layers, X, Y, calls, extra)
    times, ratio = interleaved(run, calls, repeats)
    return {"shape": shape[0], "kind": shape[1], "dtype": np.dtype(dtype).name,
            "calls": calls, "repeats": repeats, "times": times,
            "max_rel_diff_vs_torch": err, "ratio_bplab_over_torch": ratio,
            "stages": stages_of(*stage_args)}


def markdown(results):
    env = results["environment"]
    lines = [f"# Attention block and transformer capstone step: bplab / PyTorch eager "
             f"({env['date']}, load average {env['load_average']}, {results['repeats']} "
             f"repeats, one thread, CPU time)", "",
             "| what | dtype | bplab ms | PyTorch ms | bplab / PyTorch (min-max) "
             "| max rel. diff |", "|---|---|---:|---:|---:|---:|"]
    for e in results["entries"]:
        r = e["ratio_bplab_over_torch"]
        lines.append(f"| {e['shape']} | {e['dtype']} | {1e3 * np.median(e['times']['bplab']):.2f}"
                     f" | {1e3 * np.median(e['times']['torch']):.2f} | {r['median']:.2f} "
                     f"({r['min']:.2f}-{r['max']:.2f}) | {e['max_rel_diff_vs_torch']:.0e} |")
    steps = [e for e in results["entries"] if e["kind"] == "step"]
    lines += ["", "Target (issue 15): the capstone's training step no slower than PyTorch "
              "eager (bplab / PyTorch <= 1): " + ", ".join(
                  f"{e['dtype']} {e['ratio_bplab_over_torch']['median']:.2f} "
                  f"{'met' if e['ratio_bplab_over_torch']['median'] <= 1 else 'missed'}"
                  for e in steps) + ".", "",
              "Where bplab's time goes (each stage timed alone, share of their sum; "
              "stages under 3% left out):", ""]
    lines += stage_lines(results["entries"], cut=0.03)
    return "\n".join(lines) + "\n"


def collect(repeats):
    return {"entries": [time_shape(s, dt, repeats) for s in SHAPES for dt in DTYPES]}


def main(argv=None):
    return _part3.main("attention", __doc__, collect, markdown, argv)


if __name__ == "__main__":
    raise SystemExit(main())
