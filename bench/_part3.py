"""What the Part III benches (``bench.conv``, ``bench.rnn``, ``bench.attention``) share: the
clock, the interleaved timing of bplab against PyTorch, and the command line that writes
``results/NAME.{json,md}``.

The rules are ``bench.run``'s: one thread for numpy's BLAS and for PyTorch, CPU time
(``time.process_time``), the runners interleaved in an order that rotates from repeat to
repeat, one ratio per repeat, the median and the spread (min-max).
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

CLOCK = time.process_time
DTYPES = (np.float64, np.float32)


def timed(f, calls):
    """Seconds of CPU per call of ``f``, after one warm-up call."""
    f()
    t0 = CLOCK()
    for _ in range(calls):
        f()
    return (CLOCK() - t0) / calls


def interleaved(run, calls, repeats):
    """``run``: ``{"bplab": f, "torch": g}``. Per repeat, each runner's CPU time per call
    (``calls`` calls, the order rotating from repeat to repeat), and the ratios
    bplab / torch: ``(times, {"median", "min", "max"})``."""
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
    return times, {"median": float(np.median(ratios)), "min": ratios[0], "max": ratios[-1]}


def stage_lines(entries, label="shape", key="stages", cut=0.0):
    """One Markdown bullet per entry: its stages' shares of their sum (those under ``cut``
    left out), largest first."""
    lines = []
    for e in entries:
        total = sum(e[key].values())
        parts = ", ".join(f"{k} {v / total:.0%}" for k, v in
                          sorted(e[key].items(), key=lambda kv: -kv[1]) if v / total >= cut)
        lines.append(f"- {e[label]}, {e['dtype']}: {parts}")
    return lines


def main(name, doc, collect, markdown, argv=None):
    """The command line of ``bench.NAME``: ``collect(repeats)`` returns the result's entries
    (a dict), measured with one thread; they are written, with the environment, to
    ``results/NAME.json`` and, as ``markdown(results)``, to ``results/NAME.md``."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--out", default=str(Path(__file__).parent / "results"))
    args = parser.parse_args(argv)
    torch.set_num_threads(1)
    results = {"repeats": args.repeats, "clock": "process CPU time (time.process_time)"}
    with threadpool_limits(limits=1):
        results["environment"] = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                  "numpy": np.__version__, "torch": torch.__version__,
                                  "load_average": [round(v, 2) for v in os.getloadavg()]}
        results.update(collect(args.repeats))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(results, indent=1) + "\n")
    (out / f"{name}.md").write_text(markdown(results))
    print(markdown(results))
    return 0
