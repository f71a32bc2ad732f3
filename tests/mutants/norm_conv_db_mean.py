"""The convolution's db averaged instead of summed."""
NOTEBOOK = '10_convolution.ipynb'
EXERCISE = 'conv2d-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'mean of ȳ'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('dy.sum(axis=(0, 2, 3))',
     'dy.mean(axis=(0, 2, 3))'),
]
