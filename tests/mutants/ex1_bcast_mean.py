"""db as the mean over the broadcast axis, not the sum."""
NOTEBOOK = '07_shapes_softmax.ipynb'
EXERCISE = 'broadcast-add-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'a sum, not a mean'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('dY.sum(axis=axis, keepdims=True)',
     'dY.mean(axis=axis, keepdims=True)'),
]
