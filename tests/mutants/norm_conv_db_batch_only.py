"""The convolution's db summed over the batch only: shape (F, Ho, Wo)."""
NOTEBOOK = '10_convolution.ipynb'
EXERCISE = 'conv2d-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'positions'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('dy.sum(axis=(0, 2, 3))',
     'dy.sum(axis=0)'),
]
