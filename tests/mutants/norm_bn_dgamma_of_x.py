"""dgamma computed from x instead of the normalised x-hat."""
NOTEBOOK = '09_normalisation.ipynb'
EXERCISE = 'batchnorm-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'normalised x̂'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('(dy * xhat).sum(axis=0)',
     '(dy * x).sum(axis=0)'),
]
