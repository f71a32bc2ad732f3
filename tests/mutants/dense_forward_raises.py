"""A forward pass that divides by zero."""
NOTEBOOK = '03_dense_layer.ipynb'
EXERCISE = 'dense-forward'
KIND = 'misbehaviour'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = 'raised ZeroDivisionError'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    """a = σ(W a_prev + b); returns (a, (a_prev, z))."""\n    z = W @ a_prev + b\n    return bp.sigmoid(z), (a_prev, z)\n',
     '    return 1 // 0\n'),
]
