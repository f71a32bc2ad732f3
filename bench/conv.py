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
``dW`` and ``db``. The last section splits bplab's time into its stages (where it goes).
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import time
from pathlib import Path

import numpy as np
import torch
from threadpoolctl import threadpool_limits

from bplab.layers.conv import Conv2d, col2im, im2col

CLOCK = time.process_time
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
    parts = {"pad": lambda: np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw))),
             "im2col (the copy)": lambda: im2col(xp, (kh, kw), st),
             "forward product cols·Wᵀ": lambda: np.dot(cols, Wm.T),
             "dout as a matrix": lambda: dout.transpose(0, 2, 3, 1).reshape(-1, Wm.shape[0]),
             "dW = dYᵀ·cols": lambda: np.dot(dY.T, cols),
             "dcols = dY·W": lambda: np.dot(Wm.T, dY.T).T,
             "col2im (the scatter-add)": lambda: col2im(dcols, xp.shape, (kh, kw), st)}
    out = {}
    for name, f in parts.items():
        f()
        t0 = CLOCK()
        for _ in range(calls):
            f()
        out[name] = (CLOCK() - t0) / calls
    return out


def time_shape(shape, dtype, repeats):
    run, err, (layer, x, dout) = runners(shape, dtype)
    calls = shape[-1]
    names = list(run)
    times = {n: [] for n in names}
    for rep in range(repeats):
        k = rep % len(names)
        for n in names[k:] + names[:k]:
            gc.collect()
            t0 = CLOCK()
            for _ in range(calls):
                run[n]()
            times[n].append((CLOCK() - t0) / calls)
    ratios = sorted(b / t for b, t in zip(times["bplab"], times["torch"]))
    return {"shape": shape[0], "dtype": np.dtype(dtype).name, "calls": calls,
            "repeats": repeats, "times": times, "max_rel_diff_vs_torch": err,
            "ratio_bplab_over_torch": {"median": float(np.median(ratios)),
                                       "min": ratios[0], "max": ratios[-1]},
            "stages": stages(layer, x, dout, calls)}


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
    for e in results["entries"]:
        total = sum(e["stages"].values())
        parts = ", ".join(f"{k} {v / total:.0%}" for k, v in e["stages"].items())
        lines.append(f"- {e['shape']}, {e['dtype']}: {parts}")
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--out", default=str(Path(__file__).parent / "results"))
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    results = {"repeats": args.repeats, "clock": "process CPU time (time.process_time)"}
    with threadpool_limits(limits=1):
        results["environment"] = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                  "numpy": np.__version__, "torch": torch.__version__,
                                  "load_average": [round(v, 2) for v in os.getloadavg()]}
        results["entries"] = [time_shape(s, dt, args.repeats)
                              for s in SHAPES for dt in (np.float64, np.float32)]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "conv.json").write_text(json.dumps(results, indent=1) + "\n")
    (out / "conv.md").write_text(markdown(results))
    print(markdown(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
