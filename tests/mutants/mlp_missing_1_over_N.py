"""δ(L) = 2(A - Y): the 1/N of the mean is missing."""
NOTEBOOK = '04_whole_network.ipynb'
EXERCISE = 'mlp-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'factor'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    delta = 2.0 * (A - Y) / A.size\n',
     ''),
    ('    dW, db = [None] * L, [None] * L\n',
     '    dW, db = [None] * L, [None] * L\n    delta = 2.0 * (A - Y)\n'),
    ('            a = cache.a[l]\n            delta = (weights[l].T @ delta) * a * (1 - a)\n',
     '            delta = (weights[l].T @ delta) * cache.a[l] * (1 - cache.a[l])\n'),
]
