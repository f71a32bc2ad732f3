"""Run the benchmark of issue 7 and write bench/results/latest.{json,md} (``make bench``).

Usage: python -m bench.run [--repeats 7] [--full-batch-steps 20] [--out bench/results]
       python -m bench.run --sequential   # bp.Sequential vs MLP vs PyTorch (issue 12)
       python -m bench.run --only sine    # some workloads only (written to partial.*)

Every figure is a ratio between runners timed in the same run: for each repeat every runner
trains the workload once, in an order that rotates from repeat to repeat (so that a burst of
load from other processes hits every runner alike), and each repeat gives one ratio. The table
shows the median ratio and its spread (min to max over the repeats). BLAS and PyTorch are
limited to one thread each, so no runner gets more cores than another.
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import platform
import pstats
import time
import tracemalloc
from pathlib import Path

import numpy as np

import bplab as bp
from bench import floor, plain, report
from bench.workloads import sequential_workloads, workloads

try:
    import torch
    from bench import torch_peer
except ImportError:          # PyTorch is optional: its column is then empty
    torch = None

from threadpoolctl import threadpool_info, threadpool_limits

# CPU time of this process, not wall time: on a machine shared with other jobs a runner
# that is descheduled for a while is not charged for it. Every runner uses one thread, so
# CPU time is what its run takes on an otherwise idle core.
CLOCK = time.process_time


def make_runners(w):
    """For each runner, ``prepare() -> state`` (untimed) and ``run(state)`` (timed)."""
    kw = dict(lr=w.lr, epochs=w.epochs, batch_size=w.batch_size)
    if w.sequential:
        return sequential_runners(w, kw)
    runners = {
        "bplab": (lambda: [w.net() for _ in range(w.inner)],
                  lambda nets: [bp.train(net, w.X, w.Y, **kw) for net in nets]),
        "plain": (lambda: [plain.params_from(w.net()) for _ in range(w.inner)],
                  lambda ps: [plain.train(p, w.X, w.Y, output=w.output, **kw) for p in ps]),
    }
    if torch is not None:
        Xt, Yt = torch.from_numpy(w.X.T.copy()), torch.from_numpy(w.Y.T.copy())
        runners["torch"] = (lambda: [torch_peer.model_from(w.net()) for _ in range(w.inner)],
                            lambda ms: [torch_peer.train(m, Xt, Yt, **kw) for m in ms])
    batches = w.batches()
    sizes = [w.m] * w.steps if batches is None else [len(idx) for idx in batches]
    W, by_m = floor.operands(w.sizes, sizes)
    runners["floor"] = (lambda: None, lambda _: [floor.run(W, by_m, sizes)
                                                 for _ in range(w.inner)])
    return runners


def sequential_runners(w, kw):
    """A bp.Sequential (batch first), the same network as an MLP, and PyTorch."""
    Xs, Ys = w.X.T.copy(), w.Y.T.copy()
    runners = {
        "sequential": (lambda: [w.model() for _ in range(w.inner)],
                       lambda models: [bp.train(m, Xs, Ys, **kw) for m in models]),
        "bplab": (lambda: [w.net() for _ in range(w.inner)],
                  lambda nets: [bp.train(net, w.X, w.Y, **kw) for net in nets]),
    }
    if torch is not None:
        Xt, Yt = torch.from_numpy(Xs), torch.from_numpy(Ys)
        runners["torch"] = (lambda: [torch_peer.model_from(w.net()) for _ in range(w.inner)],
                            lambda ms: [torch_peer.train(m, Xt, Yt, **kw) for m in ms])
    return runners


def time_workload(w, repeats):
    """Per-step seconds of every runner, one list entry per repeat (interleaved)."""
    runners = make_runners(w)
    names = list(runners)
    for name in names:                                   # warm-up, untimed
        prepare, run = runners[name]
        run(prepare())
    times = {name: [] for name in names}
    for rep in range(repeats):
        k = rep % len(names)
        for name in names[k:] + names[:k]:
            prepare, run = runners[name]
            state = prepare()
            gc.collect()
            t0 = CLOCK()
            run(state)
            times[name].append((CLOCK() - t0) / (w.steps * w.inner))
    return times


def final_losses(w):
    """The loss after the last step for each runner: they must train the same network."""
    kw = dict(lr=w.lr, epochs=w.epochs, batch_size=w.batch_size)
    out = {"bplab": float(bp.train(w.net(), w.X, w.Y, **kw).final_loss)}
    if w.sequential:
        out["sequential"] = float(bp.train(w.model(), w.X.T.copy(), w.Y.T.copy(),
                                           **kw).final_loss)
    else:
        out["plain"] = float(plain.train(plain.params_from(w.net()), w.X, w.Y,
                                         output=w.output, **kw)[-1])
    if torch is not None:
        Xt, Yt = torch.from_numpy(w.X.T.copy()), torch.from_numpy(w.Y.T.copy())
        out["torch"] = float(torch_peer.train(torch_peer.model_from(w.net()), Xt, Yt,
                                              **kw)[-1])
    return out


def peak_memory(w):
    """Peak bytes allocated through Python (tracemalloc) while training, above the start."""
    kw = dict(lr=w.lr, epochs=w.epochs, batch_size=w.batch_size)
    out = {}
    for name, prepare, run in (
            ("bplab", w.net, lambda net: bp.train(net, w.X, w.Y, **kw)),
            ("plain", lambda: plain.params_from(w.net()),
             lambda p: plain.train(p, w.X, w.Y, output=w.output, **kw))):
        state = prepare()
        gc.collect()
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        run(state)
        out[name] = tracemalloc.get_traced_memory()[1] - base
        tracemalloc.stop()
    out["X_bytes"] = w.X.nbytes
    return out


def profile(w, top=8):
    """cProfile of one bplab training run: the functions with most time of their own."""
    net = w.net()
    prof = cProfile.Profile()
    prof.runcall(bp.train, net, w.X, w.Y, lr=w.lr, epochs=w.epochs, batch_size=w.batch_size)
    stats = pstats.Stats(prof).stats
    total = sum(v[2] for v in stats.values())
    rows = sorted(stats.items(), key=lambda kv: -kv[1][2])[:top]
    return {"total_s": total, "steps": w.steps, "rows": [
        {"function": report.function_name(key), "calls_per_step": v[1] / w.steps,
         "share": v[2] / total} for key, v in rows]}


def environment():
    blas = [{k: i.get(k) for k in ("internal_api", "architecture", "num_threads", "version")}
            for i in threadpool_info()]
    return {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "python": platform.python_version(), "numpy": np.__version__,
            "torch": None if torch is None else torch.__version__,
            "bplab": bp.__version__, "cpus": os.cpu_count(),
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "threadpools": blas,
            "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
            "OPENBLAS_L2_SIZE": os.environ.get("OPENBLAS_L2_SIZE")}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7,
                        help="repeats per workload (x3 for mini-batch digits, x2 for full "
                             "batch digits, which are short)")
    parser.add_argument("--full-batch-steps", type=int, default=20)
    parser.add_argument("--out", default=str(Path(__file__).parent / "results"))
    parser.add_argument("--sequential", action="store_true",
                        help="time the Sequential workloads (bp.Sequential vs MLP vs PyTorch) "
                             "and write sequential.{json,md}")
    parser.add_argument("--only", nargs="+", metavar="NAME",
                        help="time only these workloads (names as in the table) and write "
                             "partial.{json,md}, leaving latest.* alone")
    args = parser.parse_args(argv)
    chosen = sequential_workloads() if args.sequential else workloads(args.full_batch_steps)
    stem = "sequential" if args.sequential else "latest"
    if args.only:
        everything = {w.name: w for w in workloads(args.full_batch_steps)
                      + sequential_workloads()}
        unknown = sorted(set(args.only) - set(everything))
        if unknown:
            parser.error(f"unknown workload(s) {unknown}; choose from {sorted(everything)}")
        chosen, stem = [everything[n] for n in args.only], "partial"
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if torch is not None:
        torch.set_num_threads(1)
    results = {"environment": None, "repeats": args.repeats,
               "clock": "process CPU time (time.process_time)", "workloads": []}
    with threadpool_limits(limits=1):
        results["environment"] = environment()
        t_start = time.perf_counter()
        for w in chosen:
            print(f"timing {w.label} ...", flush=True)
            repeats = args.repeats * w.repeat_factor
            entry = {"name": w.name, "label": w.label, "sizes": w.sizes, "batch": w.batch,
                     "steps": w.steps, "inner": w.inner, "repeats": repeats,
                     "times": time_workload(w, repeats),
                     "final_loss": final_losses(w)}
            if w.name.startswith("digits") and not w.sequential:
                entry["memory"] = peak_memory(w)
            if w.name in ("sine", "digits_fullbatch"):
                entry["profile"] = profile(w)
            results["workloads"].append(report.summarise(entry))
        results["seconds"] = round(time.perf_counter() - t_start, 1)
    (out / f"{stem}.json").write_text(json.dumps(results, indent=1) + "\n")
    (out / f"{stem}.md").write_text(report.markdown(results))
    print(report.markdown(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
