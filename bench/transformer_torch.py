"""The model of ``bplab.layers.transformer`` in PyTorch, from a bplab model's weights.

Used by ``bench.attention`` and ``tests/test_capstone_transformer.py`` (the notebook
``book/part3/capstone_transformer.ipynb`` writes the same model out for the reader).
"""
from __future__ import annotations

import torch

F = torch.nn.functional


class TorchTransformer(torch.nn.Module):
    """``TorchTransformer(model)``: the same function as the bplab ``Sequential`` ``model``
    built by ``bplab.layers.transformer``, with copies of its current parameters.
    ``self.named`` holds them under bplab's names (``"2.0.weight"``), in bplab's order."""

    def __init__(self, model):
        super().__init__()
        self.names = [name for name, _ in model.parameters()]
        self.plist = torch.nn.ParameterList(
            [torch.nn.Parameter(torch.tensor(p.copy())) for _, p in model.parameters()])
        self.named = dict(zip(self.names, self.plist))
        att = model.layers[2].layers[1]
        self.D, self.H = att.d_model, att.num_heads
        self.eps = model.layers[2].layers[0].eps
        self.num_blocks = (len(model.layers) - 4) // 2

    def forward(self, x):
        """``x``: (N, T) int64 token ids -> (N, T, C) logits."""
        p, D, H = self.named, self.D, self.H
        N, T = x.shape
        h = p["0.weight"][x] + p["1.weight"][:T]
        for b in range(self.num_blocks):
            i, j = 2 + 2 * b, 3 + 2 * b
            a = F.layer_norm(h, (D,), p[f"{i}.0.weight"], p[f"{i}.0.bias"], self.eps)
            q, k, v = (F.linear(a, p[f"{i}.1.W_{n}"], p[f"{i}.1.b_{n}"])
                       .reshape(N, T, H, D // H).transpose(1, 2) for n in "qkv")
            o = F.scaled_dot_product_attention(q, k, v, is_causal=True)
            h = h + F.linear(o.transpose(1, 2).reshape(N, T, D), p[f"{i}.1.W_o"],
                             p[f"{i}.1.b_o"])
            m = F.layer_norm(h, (D,), p[f"{j}.0.weight"], p[f"{j}.0.bias"], self.eps)
            m = F.relu(F.linear(m, p[f"{j}.1.W"], p[f"{j}.1.b"]))
            h = h + F.linear(m, p[f"{j}.3.W"], p[f"{j}.3.b"])
        last = 2 + 2 * self.num_blocks
        h = F.layer_norm(h, (D,), p[f"{last}.weight"], p[f"{last}.bias"], self.eps)
        return F.linear(h, p[f"{last + 1}.W"], p[f"{last + 1}.b"])

    def loss(self, x, y):
        """Mean cross-entropy over the tokens whose label is not -100."""
        z = self(x)
        return F.cross_entropy(z.reshape(-1, z.shape[-1]), y.reshape(-1), ignore_index=-100)
