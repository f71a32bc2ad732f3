"""Batch norm's dx without the path through the mean."""
NOTEBOOK = '09_normalisation.ipynb'
EXERCISE = 'batchnorm-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'path through the mean'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('(M * dxhat - dxhat.sum(axis=0)\n',
     '(M * dxhat\n'),
]
