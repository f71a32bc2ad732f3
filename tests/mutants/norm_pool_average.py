"""Max-pool backward written as average pooling's: dy/4 to every input."""
NOTEBOOK = '10_convolution.ipynb'
EXERCISE = 'maxpool-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'average pooling'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('            dx[n, c, p, q] += dy[:, :, i, j]\n',
     '            dx[:, :, 2 * i:2 * i + 2, 2 * j:2 * j + 2] += dy[:, :, i, j, None, None] / 4\n'),
]
