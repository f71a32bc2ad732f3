"""The four workloads of the benchmark, each with its data, network and initial weights.

Every runner (bplab, the plain numpy loop, PyTorch, the matrix-product floor) starts from the
same initial weights and, for mini-batches, visits the same batches in the same order, so the
runners train the same network on the same data and their final losses can be compared.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

import bplab as bp


@dataclass
class Workload:
    """One benchmark case. ``inner`` runs of the whole workload make one timed sample;
    short workloads get ``repeat_factor`` times the repeats, so that their medians settle."""

    name: str
    label: str
    sizes: list
    output: str
    loss: str
    lr: float
    epochs: int
    batch_size: int | None
    X: np.ndarray = field(repr=False)
    Y: np.ndarray = field(repr=False)
    inner: int = 1
    repeat_factor: int = 1
    seed: int = 0
    sequential: bool = False     # timed as a bp.Sequential against the MLP and PyTorch

    @property
    def m(self) -> int:
        return self.X.shape[1]

    @property
    def batch(self) -> int:
        return self.m if self.batch_size is None else min(self.batch_size, self.m)

    @property
    def steps(self) -> int:
        """Gradient steps in one run of the workload."""
        return self.epochs * -(-self.m // self.batch)

    def net(self) -> bp.MLP:
        """A fresh bplab network with the workload's initial weights (seed 0)."""
        return bp.MLP(self.sizes, hidden="sigmoid", output=self.output, loss=self.loss, seed=0)

    def model(self) -> bp.Sequential:
        """The same network as a bp.Sequential (batch first), with the same initial weights."""
        return bp.Sequential.from_mlp(self.net())

    def batches(self):
        """The column indices of every batch, in the order bp.train visits them (or None)."""
        if self.batch_size is None or self.batch >= self.m:
            return None
        rng = np.random.default_rng(self.seed)
        out = []
        for _ in range(self.epochs):
            order = rng.permutation(self.m)
            out += [order[i:i + self.batch] for i in range(0, self.m, self.batch)]
        return out


def workloads(full_batch_steps: int = 20) -> list[Workload]:
    """The workloads of issue 7, in the order of the table."""
    X_sine, Y_sine = bp.datasets.sine()
    X_xor, Y_xor = bp.datasets.xor()
    d = bp.datasets.digits()
    return [
        Workload("sine", "sine 1-25-1, full batch (100 samples), 4000 steps", [1, 25, 1],
                 "identity", "mse", 0.3, 4000, None, X_sine, Y_sine),
        Workload("xor", "XOR 2-4-1, full batch (4 samples), 10000 epochs", [2, 4, 1],
                 "sigmoid", "mse", 2.0, 10000, None, X_xor, Y_xor),
        Workload("digits_minibatch", "digits 64-32-10, mini-batch 32, one epoch", [64, 32, 10],
                 "sigmoid", "mse", 3.0, 1, 32, d.X_train, d.Y_train, inner=10,
                 repeat_factor=3),
        Workload("digits_fullbatch",
                 f"digits 64-256-10, full batch (1348 samples), {full_batch_steps} steps",
                 [64, 256, 10], "sigmoid", "mse", 3.0, full_batch_steps, None,
                 d.X_train, d.Y_train, repeat_factor=2),
    ]


def sequential_workloads() -> list[Workload]:
    """The tiny networks of issue 7 (sine, mini-batch digits) as a ``bp.Sequential``, timed
    against the same network as an ``MLP`` and in PyTorch, in the same run (issue 12)."""
    by_name = {w.name: w for w in workloads()}
    out = []
    for name in ("sine", "digits_minibatch"):
        w = by_name[name]
        w.name, w.sequential = f"{name}_sequential", True
        w.label = w.label.replace(", ", " as a Sequential, ", 1)
        out.append(w)
    return out
