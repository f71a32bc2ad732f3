"""Batch norm with eps fixed at 1e-5 instead of the argument."""
NOTEBOOK = '09_normalisation.ipynb'
EXERCISE = 'batchnorm-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'eps is ignored'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('x.var(axis=0) + eps)',
     'x.var(axis=0) + 1e-5)'),
]
