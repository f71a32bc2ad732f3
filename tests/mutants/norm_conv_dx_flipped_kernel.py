"""The convolution's dx sent back through the flipped kernel."""
NOTEBOOK = '10_convolution.ipynb'
EXERCISE = 'conv2d-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'flip is wrong'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('np.einsum("nf,fchw->nchw", g, W)',
     'np.einsum("nf,fchw->nchw", g, W[:, :, ::-1, ::-1])'),
]
