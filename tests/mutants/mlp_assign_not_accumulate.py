"""A per-sample loop that writes `=` where `+=` belongs: only the last sample counts."""
NOTEBOOK = '04_whole_network.ipynb'
EXERCISE = 'mlp-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'disagree'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    delta = 2.0 * (A - Y) / A.size\n',
     ''),
    ('    for l in range(L - 1, -1, -1):\n        dW[l] = delta @ cache.a[l].T\n        db[l] = delta.sum(axis=1, keepdims=True)\n        if l > 0:\n            a = cache.a[l]\n            delta = (weights[l].T @ delta) * a * (1 - a)\n',
     '    m = A.shape[1]\n    dW = [np.zeros_like(W) for W in weights]\n    db = [np.zeros((W.shape[0], 1)) for W in weights]\n    for i in range(m):\n        a = [ai[:, i:i + 1] for ai in cache.a]\n        delta = 2.0 * (a[-1] - Y[:, i:i + 1]) / A.size\n        for l in range(L - 1, -1, -1):\n            dW[l] = delta @ a[l].T\n            db[l] = delta\n            if l > 0:\n                delta = (weights[l].T @ delta) * a[l] * (1 - a[l])\n'),
]
