"""dbeta averaged over the samples instead of summed."""
NOTEBOOK = '09_normalisation.ipynb'
EXERCISE = 'layernorm-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'mean of ȳ'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('dy.sum(axis=0)',
     'dy.mean(axis=0)'),
]
