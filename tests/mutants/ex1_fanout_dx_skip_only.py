"""dx returned before the path through W x is added: only the skip connection counts."""
NOTEBOOK = '07_shapes_softmax.ipynb'
EXERCISE = 'fan-out-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'the path through W x is missing'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    dx += W.T @ dz',
     '    pass'),
]
