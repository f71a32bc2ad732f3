"""Batch norm normalised with the unbiased variance (divided by N - 1), as the running variance is."""
NOTEBOOK = '09_normalisation.ipynb'
EXERCISE = 'batchnorm-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'divided by M - 1'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('x.var(axis=0)',
     'x.var(axis=0, ddof=1)'),
]
