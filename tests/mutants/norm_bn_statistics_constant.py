"""Batch norm's dx with mu and sigma^2 treated as constants: the evaluation-mode formula in training."""
NOTEBOOK = '09_normalisation.ipynb'
EXERCISE = 'batchnorm-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'treated as constants'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    dx = inv_std / M * (M * dxhat - dxhat.sum(axis=0)\n                        - xhat * (dxhat * xhat).sum(axis=0))\n',
     '    dx = dxhat * inv_std\n'),
]
