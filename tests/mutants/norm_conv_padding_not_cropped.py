"""The convolution's dx keeps the padding: shape of the padded input."""
NOTEBOOK = '10_convolution.ipynb'
EXERCISE = 'conv2d-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'crop the padding'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    dx = dxp[:, :, P:P + x.shape[2], P:P + x.shape[3]]\n',
     '    dx = dxp\n'),
]
