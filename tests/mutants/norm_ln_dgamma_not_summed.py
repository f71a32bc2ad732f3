"""Layer norm's dgamma not summed over the samples: shape (N, D)."""
NOTEBOOK = '09_normalisation.ipynb'
EXERCISE = 'layernorm-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'not summed over the samples'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('(dy * xhat).sum(axis=0)',
     'dy * xhat'),
]
