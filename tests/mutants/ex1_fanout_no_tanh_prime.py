"""tanh' left out of the path back through the tanh."""
NOTEBOOK = '07_shapes_softmax.ipynb'
EXERCISE = 'fan-out-backward'
KIND = 'mutant'
EXPECT_MESSAGE = "tanh'(W x)"
EDITS = [   # (text of the reference solution, what the mutant has instead)
    (' * (1 - h ** 2)',
     ''),
]
