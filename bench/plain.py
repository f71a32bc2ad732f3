"""Peer (a): the straightforward numpy loop a reader would write for the same network.

Written the way the source documents write it (a dict of parameters, ``sigmoid_prime``
recomputing the sigmoid from ``z``, the loss computed at every step to draw a loss curve),
for one sigmoid hidden layer and an identity or sigmoid output, mean squared error, samples
as columns. It is not made slow on purpose: it is what the chapters teach readers to write
before they meet bplab.
"""
from __future__ import annotations

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


def forward(x, params, output):
    cache = {"a0": x}
    cache["z1"] = params["W1"].dot(x) + params["b1"]
    cache["a1"] = sigmoid(cache["z1"])
    cache["z2"] = params["W2"].dot(cache["a1"]) + params["b2"]
    cache["a2"] = cache["z2"] if output == "identity" else sigmoid(cache["z2"])
    return cache


def backward(params, cache, y, output):
    grads = {}
    dz2 = 2 * (cache["a2"] - y) / y.size          # d mean((a - y)^2) / da
    if output == "sigmoid":
        dz2 = dz2 * sigmoid_prime(cache["z2"])
    grads["W2"] = dz2.dot(cache["a1"].T)
    grads["b2"] = np.sum(dz2, axis=1, keepdims=True)
    dz1 = params["W2"].T.dot(dz2) * sigmoid_prime(cache["z1"])
    grads["W1"] = dz1.dot(cache["a0"].T)
    grads["b1"] = np.sum(dz1, axis=1, keepdims=True)
    return grads


def train(params, X, Y, *, lr, epochs, batch_size=None, seed=0, output="identity"):
    """Gradient descent on ``params`` (a dict W1, b1, W2, b2) in place.

    Returns the loss of every step, then the loss on the whole set after training.
    """
    m = X.shape[1]
    rng = np.random.default_rng(seed)
    losses = []
    for epoch in range(epochs):
        if batch_size is None or batch_size >= m:
            batches = [(X, Y)]
        else:
            order = rng.permutation(m)
            batches = [(X[:, order[i:i + batch_size]], Y[:, order[i:i + batch_size]])
                       for i in range(0, m, batch_size)]
        for x, y in batches:
            cache = forward(x, params, output)
            losses.append(np.mean(np.square(cache["a2"] - y)))
            grads = backward(params, cache, y, output)
            for key in params:
                params[key] -= lr * grads[key]
    # the loss on the whole training set after training, as bp.train reports it
    losses.append(np.mean(np.square(forward(X, params, output)["a2"] - Y)))
    return losses


def params_from(net):
    """The dict of parameters a reader would keep, copied from a bplab network."""
    (W1, W2), (b1, b2) = net.weights, net.biases
    return {"W1": W1.copy(), "b1": b1.copy(), "W2": W2.copy(), "b2": b2.copy()}
