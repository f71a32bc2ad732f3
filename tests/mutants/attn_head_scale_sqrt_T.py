"""The scores scaled by 1/sqrt(T) (the sequence length) instead of 1/sqrt(d)."""
NOTEBOOK = '12_attention.ipynb'
EXERCISE = 'attention-head-backward'
KIND = 'mutant'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    S = Q @ K.T / np.sqrt(d)\n', '    S = Q @ K.T / np.sqrt(T)\n'),
]
