"""`dW = ...` where `dW += ...` belongs: the outer use of the tied W is lost."""
NOTEBOOK = '07_shapes_softmax.ipynb'
EXERCISE = 'fan-out-backward'
KIND = 'mutant'
EXPECT_MESSAGE = "the outer use's term"
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    dW += dz @ x.T',
     '    dW = dz @ x.T'),
]
