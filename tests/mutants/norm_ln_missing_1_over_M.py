"""Layer norm's dx without the 1/M: a factor D too large."""
NOTEBOOK = '09_normalisation.ipynb'
EXERCISE = 'layernorm-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'factor M too large'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('inv_std / M *',
     'inv_std *'),
]
