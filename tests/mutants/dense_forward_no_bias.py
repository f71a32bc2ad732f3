"""The bias b is never added."""
NOTEBOOK = '03_dense_layer.ipynb'
EXERCISE = 'dense-forward'
KIND = 'mutant'
EXPECT_MESSAGE = 'bias b is missing'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    """a = σ(W a_prev + b); returns (a, (a_prev, z))."""\n    z = W @ a_prev + b\n',
     '    z = W @ a_prev\n'),
]
