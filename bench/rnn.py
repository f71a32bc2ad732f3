"""One training step of the recurrent capstone, bplab against PyTorch eager (issue 15).

Usage: python -m bench.rnn [--repeats 7] [--out bench/results]
       (with the environment of ``make bench``: ``env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE
       OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1``)

Writes ``results/rnn.{json,md}``. As ``bench.conv``: one thread for numpy's BLAS and for
PyTorch, CPU time (``time.process_time``), the runners interleaved in an order that rotates
from repeat to repeat, one ratio per repeat, the median and the spread (min-max). One step is
the capstone's (book/part3/capstone_rnn.ipynb): ``Embedding → RNN (tanh) → LastStep → Linear``
with the fused softmax-cross-entropy, ``loss, grads = model.gradients(x, y)``, the gradients
clipped to a global norm of 1 (``bp.optim.clip_grad_norm``) and one ``bp.optim.Adam`` step;
against ``opt.zero_grad(); F.cross_entropy(net(x), y).backward(); clip_grad_norm_(...);
opt.step()`` on the same network (``bplab.recurrence.torch_twin``), same weights, same batch.
The last section splits bplab's step into its stages (where the time goes).
"""
from __future__ import annotations

import numpy as np
import torch

from bench import _part3
from bench._part3 import DTYPES, interleaved, stage_lines, timed
import bplab as bp
from bplab.recurrence import recall_batch, recall_model, torch_twin

F = torch.nn.functional

# (name, N, T, V, d, H, steps per timed sample)
SHAPES = [("capstone: N 32, T 30, V 4, d 8, H 16", 32, 30, 4, 8, 16, 20),
          ("wider: N 64, T 50, V 16, d 32, H 128", 64, 50, 16, 32, 128, 5)]


def runners(shape, dtype):
    _, N, T, V, d, H, _ = shape
    model = recall_model(V, d, H, seed=0, dtype=dtype)
    net = torch_twin(model)
    x, y = recall_batch(np.random.default_rng(1), N, T, V)
    opt = bp.optim.Adam(model.parameters(), lr=1e-3)
    topt = torch.optim.Adam(net.parameters(), lr=1e-3)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)

    def ours():
        loss, grads = model.gradients(x, y)
        bp.optim.clip_grad_norm(grads, 1.0)
        opt.step(grads)
        return loss

    def theirs():
        topt.zero_grad()
        loss = F.cross_entropy(net(xt), yt)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), 1.0)
        topt.step()
        return loss.item()

    diff = abs(ours() - theirs())                # the first step: the same loss
    return {"bplab": ours, "torch": theirs}, float(diff), (model, x, y)


def stages(model, x, y, calls):
    """bplab's CPU time per step split into its stages, each run ``calls`` times alone."""
    emb, rnn, last, lin = model.layers
    X, Y = model.check_data(x, y)
    e, ce = emb._forward(X)
    h, ch = rnn._forward(e)
    o, co = lin._forward(last._forward(h)[0])
    _, cl = model.loss._forward(o, Y)
    dlogits = model.loss._backward(cl)
    dlast = lin._backward(dlogits, co)[0]
    dh = last._backward(dlast, h.shape)[0]
    de, grads = rnn._backward(dh, ch)
    _, all_grads = model._backward(dlogits, [ce, ch, h.shape, co])
    opt = bp.optim.Adam(model.parameters(), lr=1e-3)
    parts = {"check the data": lambda: model.check_data(x, y),
             "embedding forward": lambda: emb._forward(X),
             "RNN forward (the loop over t)": lambda: rnn._forward(e),
             "last step, Linear, loss": lambda: model.loss._forward(
                 lin._forward(last._forward(h)[0])[0], Y),
             "loss, Linear, last-step backward": lambda: last._backward(
                 lin._backward(model.loss._backward(cl), co)[0], h.shape),
             "RNN backward (BPTT loop)": lambda: rnn._backward(dh, ch),
             "embedding backward (scatter-add)": lambda: emb._backward(de, ce),
             "clip_grad_norm": lambda: bp.optim.clip_grad_norm(
                 {k: v.copy() for k, v in all_grads.items()}, 1e9),
             "Adam step": lambda: opt.step(all_grads)}
    return {name: timed(f, calls) for name, f in parts.items()}


def time_shape(shape, dtype, repeats):
    run, diff, (model, x, y) = runners(shape, dtype)
    calls = shape[-1]
    times, ratio = interleaved(run, calls, repeats)
    return {"shape": shape[0], "dtype": np.dtype(dtype).name, "calls": calls,
            "repeats": repeats, "times": times, "first_loss_abs_diff_vs_torch": diff,
            "ratio_bplab_over_torch": ratio, "stages": stages(model, x, y, calls)}


def markdown(results):
    env = results["environment"]
    lines = [f"# One training step of the recurrent capstone: bplab / PyTorch eager "
             f"({env['date']}, load average {env['load_average']}, {results['repeats']} "
             f"repeats, one thread, CPU time)", "",
             "| shape | dtype | bplab ms | PyTorch ms | bplab / PyTorch (min-max) | "
             "first loss, abs. diff |", "|---|---|---:|---:|---:|---:|"]
    for e in results["entries"]:
        r = e["ratio_bplab_over_torch"]
        lines.append(f"| {e['shape']} | {e['dtype']} | {np.median(e['times']['bplab'])*1e3:.2f}"
                     f" | {np.median(e['times']['torch'])*1e3:.2f} | {r['median']:.2f} "
                     f"({r['min']:.2f}-{r['max']:.2f}) | "
                     f"{e['first_loss_abs_diff_vs_torch']:.0e} |")
    lines += ["", "Where bplab's time goes (each stage timed alone, share of their sum):", ""]
    lines += stage_lines(results["entries"])
    return "\n".join(lines) + "\n"


def collect(repeats):
    return {"entries": [time_shape(s, dt, repeats) for s in SHAPES for dt in DTYPES]}


def main(argv=None):
    return _part3.main("rnn", __doc__, collect, markdown, argv)


if __name__ == "__main__":
    raise SystemExit(main())
