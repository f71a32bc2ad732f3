"""`dx = ...` where `dx += ...` belongs: the skip connection's gradient is lost."""
NOTEBOOK = '07_shapes_softmax.ipynb'
EXERCISE = 'fan-out-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'misses the skip connection'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    dx += W.T @ dz',
     '    dx = W.T @ dz'),
]
