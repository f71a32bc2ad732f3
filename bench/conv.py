"""Conv2d forward + backward, bplab (im2col) against PyTorch eager (issue 15's speed item).

Usage: python -m bench.conv [--repeats 7] [--out bench/results]
       (with the environment of ``make bench``: ``env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE
       OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1``)

Writes ``results/conv.{json,md}``. As ``bench.run``: one thread for numpy's BLAS and for
PyTorch, CPU time (``time.process_time``), the runners interleaved in an order that rotates
from repeat to repeat, one ratio per repeat, the median and the spread (min-max). One call is
``out, cache = layer._forward(x); layer._backward(dout, cache)`` (what ``Sequential`` runs,
the input already checked) against ``y = F.conv2d(x, W, b, stride, padding);
y.backward(dout)`` with ``x``, ``W``, ``b`` requiring gradients. Both compute ``y``, ``dx``,
``dW`` and ``db``. The next section splits bplab's time into its stages (where it goes).

**One training step of the capstone CNN** (``bplab.capstone_cnn``, the network of
``book/part3/capstone_cnn.ipynb``, a batch of 32 digit images): ``capstone_cnn.step`` (forward
through the eight layers, softmax cross-entropy, backward, ``bp.optim.Adam``'s update)
against PyTorch eager's ``opt.zero_grad(); loss_fn(net(x), y).backward(); opt.step()`` on the
twin built from the same weights, each runner on its own copy, timed the same way. Its
profile (``cProfile``, the step run alone) lists the functions where bplab's time goes.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from bench import _part3
from bench._part3 import DTYPES, interleaved, stage_lines, timed
import bplab.capstone_cnn as cc
from bplab import optim
from bplab.layers.conv import Conv2d, col2im, im2col

F = torch.nn.functional

# (name, N, C_in, C_out, H=W, kernel, stride, padding, calls per timed sample)
SHAPES = [("digits 1->16, 8x8, k3 p1, batch 64", 64, 1, 16, 8, 3, 1, 1, 40),
          ("16->32, 16x16, k3 p1, batch 32", 32, 16, 32, 16, 3, 1, 1, 4),
          ("32->64, 16x16, k3 s2 p1, batch 32", 32, 32, 64, 16, 3, 2, 1, 4)]


def runners(shape, dtype):
    _, N, C, Fo, S, k, s, p, _ = shape
    rng = np.random.default_rng(0)
    layer = Conv2d(C, Fo, k, s, p, seed=0, dtype=dtype)
    layer.params["b"][...] = rng.normal(size=Fo)
    x = rng.normal(size=(N, C, S, S)).astype(dtype)
    out, _ = layer.forward(x)
    dout = rng.normal(size=out.shape).astype(dtype)

    def ours():
        y, cache = layer._forward(x)
        return layer._backward(dout, cache)

    xt = torch.from_numpy(x).requires_grad_()
    Wt = torch.from_numpy(layer.params["W"].copy()).requires_grad_()
    bt = torch.from_numpy(layer.params["b"].copy()).requires_grad_()
    dt = torch.from_numpy(dout)

    def theirs():
        xt.grad = Wt.grad = bt.grad = None
        F.conv2d(xt, Wt, bt, stride=s, padding=p).backward(dt)
        return xt.grad, Wt.grad, bt.grad

    dx, grads = ours()
    tdx, tdW, _ = theirs()
    err = max(np.abs(dx - tdx.numpy()).max() / np.abs(tdx.numpy()).max(),
              np.abs(grads["W"] - tdW.numpy()).max() / np.abs(tdW.numpy()).max())
    return {"bplab": ours, "torch": theirs}, float(err), (layer, x, dout)


def stages(layer, x, dout, calls):
    """bplab's CPU time per call split into its stages, each run ``calls`` times alone."""
    (kh, kw), st, (ph, pw) = layer.kernel_size, layer.stride, layer.padding
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    cols = im2col(xp, (kh, kw), st)
    Wm = layer.params["W"].reshape(layer.out_channels, -1)
    dY = dout.transpose(0, 2, 3, 1).reshape(-1, layer.out_channels)
    dcols = np.dot(Wm.T, dY.T).T                 # as Conv2d._backward lays it out
    parts = {"pad": lambda: layer._pad(x),
             "im2col (the copy)": lambda: im2col(xp, (kh, kw), st),
             "forward product cols·Wᵀ": lambda: np.dot(cols, Wm.T),
             "dout as a matrix": lambda: dout.transpose(0, 2, 3, 1).reshape(-1, Wm.shape[0]),
             "dW = dYᵀ·cols": lambda: np.dot(dY.T, cols),
             "dcols = dY·W": lambda: np.dot(Wm.T, dY.T).T,
             "col2im (the scatter-add)": lambda: col2im(dcols, xp.shape, (kh, kw), st)}
    return {name: timed(f, calls) for name, f in parts.items()}


STEP_BATCH, STEP_CALLS = 32, 20


def step_runners(dtype):
    """One Adam step of the capstone CNN on a batch of 32 images, bplab and PyTorch, from the
    same weights; the error is the largest relative difference of the weights after 3 steps."""
    d = cc.digit_images(dtype=dtype)
    model = cc.build_cnn(seed=0, dtype=dtype)
    net = cc.torch_twin(model)
    x, labels = d.X_train[:STEP_BATCH], d.labels_train[:STEP_BATCH]
    _, Y = model.check_data(x, labels)
    opt = optim.Adam(model.parameters(), lr=cc.LR)

    def ours():
        return cc.step(model, opt, x, Y)

    xt, yt = torch.from_numpy(x), torch.from_numpy(labels)
    topt = torch.optim.Adam(net.parameters(), lr=cc.LR)
    loss_fn = torch.nn.CrossEntropyLoss()

    def theirs():
        topt.zero_grad()
        loss = loss_fn(net(xt), yt)
        loss.backward()
        topt.step()
        return loss

    for _ in range(3):
        ours(), theirs()
    err = max(np.abs(p - q.detach().numpy()).max() / np.abs(p).max()
              for (_, p), q in zip(model.parameters(), net.parameters()))
    return {"bplab": ours, "torch": theirs}, float(err)


def _qualnames():
    """``(file, first line) -> "Class.method"`` for bplab's layers, losses and optimisers, so
    that the profile tells ``Conv2d._forward`` from ``MaxPool2d._forward``."""
    import inspect

    from bplab.layers import (activations, conv, dense, losses, sequential)
    names = {}
    for mod in (activations, conv, dense, losses, sequential, optim, cc):
        for obj in vars(mod).values():
            fns = ([f for f in vars(obj).values() if inspect.isfunction(f)]
                   if inspect.isclass(obj) else [obj] if inspect.isfunction(obj) else [])
            for f in fns:
                names[(f.__code__.co_filename, f.__code__.co_firstlineno)] = f.__qualname__
    return names


def step_profile(run, calls, top=8):
    """bplab's step under cProfile: the ``top`` functions by own time, share of the total."""
    import cProfile
    import pstats
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(calls):
        run()
    prof.disable()
    stats = pstats.Stats(prof).stats
    total = sum(v[2] for v in stats.values())
    qual = _qualnames()
    rows = sorted(((v[2], qual.get((f, line), f"{Path(f).stem}.{name}" if f != "~" else
                                   name.strip("<>")))
                   for (f, line, name), v in stats.items()), reverse=True)[:top]
    return {name: t / total for t, name in rows}


def time_step(dtype, repeats):
    run, err = step_runners(dtype)
    times, ratio = interleaved(run, STEP_CALLS, repeats)
    return {"step": f"capstone CNN, Adam step, batch {STEP_BATCH}",
            "dtype": np.dtype(dtype).name, "calls": STEP_CALLS, "repeats": repeats,
            "times": times, "max_rel_diff_vs_torch": err, "ratio_bplab_over_torch": ratio,
            "profile": step_profile(run["bplab"], STEP_CALLS)}


def time_shape(shape, dtype, repeats):
    run, err, (layer, x, dout) = runners(shape, dtype)
    calls = shape[-1]
    times, ratio = interleaved(run, calls, repeats)
    return {"shape": shape[0], "dtype": np.dtype(dtype).name, "calls": calls,
            "repeats": repeats, "times": times, "max_rel_diff_vs_torch": err,
            "ratio_bplab_over_torch": ratio, "stages": stages(layer, x, dout, calls)}


def markdown(results):
    env = results["environment"]
    lines = [f"# Conv2d forward + backward: bplab / PyTorch eager ({env['date']}, load "
             f"average {env['load_average']}, {results['repeats']} repeats, one thread, "
             f"CPU time)", "",
             "| shape | dtype | bplab ms | PyTorch ms | bplab / PyTorch (min-max) | "
             "max rel. diff |", "|---|---|---:|---:|---:|---:|"]
    for e in results["entries"]:
        r = e["ratio_bplab_over_torch"]
        lines.append(f"| {e['shape']} | {e['dtype']} | {np.median(e['times']['bplab'])*1e3:.2f}"
                     f" | {np.median(e['times']['torch'])*1e3:.2f} | {r['median']:.2f} "
                     f"({r['min']:.2f}-{r['max']:.2f}) | {e['max_rel_diff_vs_torch']:.0e} |")
    lines += ["", "Where bplab's time goes (each stage timed alone, share of their sum):", ""]
    lines += stage_lines(results["entries"])
    lines += ["", "## One training step of the capstone CNN (target: bplab / PyTorch <= 1)", "",
              "| step | dtype | bplab ms | PyTorch ms | bplab / PyTorch (min-max) | "
              "max rel. diff of the weights after 3 steps |", "|---|---|---:|---:|---:|---:|"]
    for e in results.get("steps", []):
        r = e["ratio_bplab_over_torch"]
        lines.append(f"| {e['step']} | {e['dtype']} | {np.median(e['times']['bplab'])*1e3:.2f}"
                     f" | {np.median(e['times']['torch'])*1e3:.2f} | {r['median']:.2f} "
                     f"({r['min']:.2f}-{r['max']:.2f}) | {e['max_rel_diff_vs_torch']:.0e} |")
    lines += ["", "Where bplab's step spends its time (cProfile, own time of the top "
              "functions, share of the step):", ""]
    for e in results.get("steps", []):
        parts = ", ".join(f"`{k}` {v:.0%}" for k, v in e["profile"].items())
        lines.append(f"- {e['dtype']}: {parts}")
    return "\n".join(lines) + "\n"


def collect(repeats):
    return {"entries": [time_shape(s, dt, repeats) for s in SHAPES for dt in DTYPES],
            "steps": [time_step(dt, repeats) for dt in DTYPES]}


def main(argv=None):
    return _part3.main("conv", __doc__, collect, markdown, argv)


if __name__ == "__main__":
    raise SystemExit(main())
