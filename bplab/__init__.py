"""bplab: backpropagation, derived and run — the companion package of the bplab course.

>>> import bplab as bp
>>> X, Y = bp.datasets.sine()
>>> net = bp.MLP([1, 25, 1], hidden="sigmoid", output="identity", loss="mse",
...              init="uniform01", seed=0)
>>> history = bp.train(net, X, Y, lr=0.15, epochs=4000)   # source 000's run (its lr 0.3 on MSE/2)
"""
from bplab import activations, autodiff, datasets, examples, layers, losses, optim
from bplab.activations import (identity, identity_prime, relu, relu_prime, sigmoid,
                               sigmoid_prime, step, step_prime, tanh, tanh_prime)
from bplab.gradcheck import (GradcheckReport, diagnose, gradcheck, numerical_gradient,
                             relative_error)
from bplab.layers import Sequential
from bplab.losses import cross_entropy, half_sse, mse
from bplab.network import MLP, Cache
from bplab.train import History, train

__version__ = "0.1.0"

__all__ = [
    "MLP", "Cache", "Sequential", "train", "History", "gradcheck", "GradcheckReport",
    "diagnose", "numerical_gradient", "relative_error", "layers", "optim", "activations", "losses", "datasets", "autodiff", "examples",
    "sigmoid", "sigmoid_prime", "tanh", "tanh_prime", "relu", "relu_prime",
    "identity", "identity_prime", "step", "step_prime", "mse", "half_sse", "cross_entropy",
]
