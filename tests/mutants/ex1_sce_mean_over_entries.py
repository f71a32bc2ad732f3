"""Divided by N·C (the number of entries) instead of N."""
NOTEBOOK = '07_shapes_softmax.ipynb'
EXERCISE = 'softmax-ce-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'N·C'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('return (P - Y) / N',
     'return (P - Y) / Z.size'),
]
