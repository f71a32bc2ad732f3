"""Batch norm's dx without the path through the variance."""
NOTEBOOK = '09_normalisation.ipynb'
EXERCISE = 'batchnorm-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'path through the variance'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('M * dxhat - dxhat.sum(axis=0)\n                        - xhat * (dxhat * xhat).sum(axis=0))',
     'M * dxhat - dxhat.sum(axis=0))'),
]
