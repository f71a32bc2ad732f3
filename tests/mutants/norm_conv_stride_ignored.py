"""The convolution's backward reads windows at stride 1 whatever the stride."""
NOTEBOOK = '10_convolution.ipynb'
EXERCISE = 'conv2d-backward'
KIND = 'mutant'
EXPECT_STATUS = 'failed'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    P, s = padding, stride\n',
     '    P, s = padding, 1\n'),
]
