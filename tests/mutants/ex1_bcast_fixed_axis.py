"""db always summed over axis 1 (the course's sample axis), whatever `axis` says."""
NOTEBOOK = '07_shapes_softmax.ipynb'
EXERCISE = 'broadcast-add-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'use the argument `axis`'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('dY.sum(axis=axis, keepdims=True)',
     'dY.sum(axis=1, keepdims=True)'),
]
