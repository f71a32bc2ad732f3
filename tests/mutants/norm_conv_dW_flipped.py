"""The convolution's dW flipped in both spatial axes (a true convolution's gradient)."""
NOTEBOOK = '10_convolution.ipynb'
EXERCISE = 'conv2d-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'dW is flipped'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('np.einsum("nf,nchw->fchw", g, window)',
     'np.einsum("nf,nchw->fchw", g, window[:, :, ::-1, ::-1])'),
]
