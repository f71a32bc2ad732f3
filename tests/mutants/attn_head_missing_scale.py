"""dQ and dK without the factor 1/sqrt(d)."""
NOTEBOOK = '12_attention.ipynb'
EXERCISE = 'attention-head-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'the factor 1/√d is missing'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    dQ = dS @ K / np.sqrt(d)\n', '    dQ = dS @ K\n'),
    ('    dK = dS.T @ Q / np.sqrt(d)\n', '    dK = dS.T @ Q\n'),
]
