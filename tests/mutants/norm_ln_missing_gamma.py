"""Layer norm's backward without gamma: dxhat = dy."""
NOTEBOOK = '09_normalisation.ipynb'
EXERCISE = 'layernorm-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'γ is missing'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    dxhat = gamma * dy\n',
     '    dxhat = dy\n'),
]
