"""db summed without keepdims: the broadcast axis is dropped."""
NOTEBOOK = '07_shapes_softmax.ipynb'
EXERCISE = 'broadcast-add-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'keepdims=True'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('dY.sum(axis=axis, keepdims=True)',
     'dY.sum(axis=axis)'),
]
