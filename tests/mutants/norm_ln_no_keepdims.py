"""Layer norm's row sums without keepdims: (N,) does not broadcast along the rows."""
NOTEBOOK = '09_normalisation.ipynb'
EXERCISE = 'layernorm-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'keepdims'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('dxhat.sum(axis=1, keepdims=True)',
     'dxhat.sum(axis=1)'),
]
