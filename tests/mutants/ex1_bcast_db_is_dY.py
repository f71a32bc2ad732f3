"""db = dY: the gradient of the broadcast input is not summed at all."""
NOTEBOOK = '07_shapes_softmax.ipynb'
EXERCISE = 'broadcast-add-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'nothing was summed'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('db = dY.sum(axis=axis, keepdims=True)',
     'db = dY.copy()'),
]
