"""(Y - P)/N: the sign is flipped."""
NOTEBOOK = '07_shapes_softmax.ipynb'
EXERCISE = 'softmax-ce-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'sign is flipped'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('return (P - Y) / N',
     'return (Y - P) / N'),
]
