"""Peer (b): PyTorch, CPU, eager mode, one thread, float64: the code its tutorials teach.

``nn.Sequential`` of ``nn.Linear`` and ``nn.Sigmoid``, ``nn.MSELoss``, ``torch.optim.SGD``,
and the usual ``zero_grad`` / ``backward`` / ``step``. Samples are rows, as PyTorch expects;
``nn.Linear``'s weight has bplab's layout ``(n_out, n_in)``, so the initial weights are the
same numbers.
"""
from __future__ import annotations

import numpy as np
import torch


def model_from(net):
    layers = []
    for l, (W, b) in enumerate(zip(net.weights, net.biases)):
        lin = torch.nn.Linear(W.shape[1], W.shape[0], dtype=torch.float64)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(W))
            lin.bias.copy_(torch.from_numpy(b.ravel()))
        layers.append(lin)
        if l < net.n_layers - 1 or net.output == "sigmoid":
            layers.append(torch.nn.Sigmoid())
    return torch.nn.Sequential(*layers)


def train(model, X, Y, *, lr, epochs, batch_size=None, seed=0):
    """Train ``model`` on ``X`` (m, n_in), ``Y`` (m, n_out) tensors.

    Returns the loss of every step, then the loss on the whole set after training.
    """
    m = X.shape[0]
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn = torch.nn.MSELoss()
    rng = np.random.default_rng(seed)     # the same batches as bp.train visits
    losses = []
    for epoch in range(epochs):
        if batch_size is None or batch_size >= m:
            batches = [(X, Y)]
        else:
            order = torch.from_numpy(rng.permutation(m))
            batches = [(X[order[i:i + batch_size]], Y[order[i:i + batch_size]])
                       for i in range(0, m, batch_size)]
        for x, y in batches:
            opt.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
            losses.append(loss.detach())
    with torch.no_grad():       # the loss on the whole training set, as bp.train reports it
        losses.append(loss_fn(model(X), Y))
    return losses
