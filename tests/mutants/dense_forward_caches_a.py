"""The cache keeps a = σ(z) where z belongs."""
NOTEBOOK = '03_dense_layer.ipynb'
EXERCISE = 'dense-forward'
KIND = 'mutant'
EXPECT_MESSAGE = 'the backward pass needs z'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    return bp.sigmoid(z), (a_prev, z)\n',
     '    a = bp.sigmoid(z)\n    return a, (a_prev, a)\n'),
]
