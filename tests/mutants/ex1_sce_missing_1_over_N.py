"""P - Y without the 1/N of the mean over the batch."""
NOTEBOOK = '07_shapes_softmax.ipynb'
EXERCISE = 'softmax-ce-backward'
KIND = 'mutant'
EXPECT_MESSAGE = '1/N is missing'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('return (P - Y) / N',
     'return P - Y'),
]
