r"""Layers, each a vector-Jacobian product, and the ``Sequential`` that chains them.

The contract (:mod:`bplab.layers._base`): ``out, cache = layer.forward(x)`` and
``dx, grads = layer.backward(dout, cache)``, batch first (``x: (N, features)``), parameters in
``layer.params`` by name. Losses: ``value, cache = loss.forward(out, target)``,
``dout = loss.backward(cache)``. How this relates to :class:`bplab.MLP`'s samples-as-columns
is stated once, in :mod:`bplab.layers.dense`.

>>> import numpy as np, bplab as bp
>>> from bplab.layers import Linear, ReLU, SoftmaxCrossEntropyLoss
>>> model = bp.Sequential(Linear(4, 8, gain=2.0), ReLU(), Linear(8, 3),
...                       loss=SoftmaxCrossEntropyLoss())
>>> X, labels = np.random.default_rng(0).normal(size=(5, 4)), np.array([0, 2, 1, 1, 0])
>>> loss, grads = model.gradients(X, labels)
>>> grads["0.W"].shape
(8, 4)
"""
from bplab.layers._base import Layer, LayerCache
from bplab.layers.attention import MultiHeadSelfAttention, Residual
from bplab.layers.activations import ReLU, Sigmoid, Softmax, Tanh, softmax
from bplab.layers.dense import Flatten, Identity, Linear
from bplab.layers.dropout import Dropout
from bplab.layers.losses import (BCELoss, BCEWithLogitsLoss, CategoricalCrossEntropyLoss, Loss,
                                 MSELoss, SoftmaxCrossEntropyLoss)
from bplab.layers.conv import Conv2d, MaxPool2d
from bplab.layers.norm import BatchNorm1d, BatchNorm2d, LayerNorm
from bplab.layers.sequence import RNN, Embedding, LastStep, TimeDistributed
from bplab.layers.sequential import Sequential
from bplab.layers.transformer import PositionalEmbedding, transformer

ACTIVATION_LAYERS = {"sigmoid": Sigmoid, "tanh": Tanh, "relu": ReLU, "identity": Identity}

__all__ = ["Layer", "LayerCache", "Linear", "Identity", "Flatten", "Sigmoid", "Tanh", "ReLU",
           "Softmax", "softmax", "Dropout", "Loss", "MSELoss", "BCELoss", "BCEWithLogitsLoss",
           "CategoricalCrossEntropyLoss", "SoftmaxCrossEntropyLoss", "Sequential",
           "BatchNorm1d", "BatchNorm2d", "LayerNorm", "Conv2d", "MaxPool2d",
           "Embedding", "RNN", "LastStep", "TimeDistributed", "MultiHeadSelfAttention", "Residual",
           "PositionalEmbedding", "transformer", "ACTIVATION_LAYERS"]
