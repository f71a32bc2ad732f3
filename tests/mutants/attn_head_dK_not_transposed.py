"""dK = dS Q: the score matrix's gradient not transposed."""
NOTEBOOK = '12_attention.ipynb'
EXERCISE = 'attention-head-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'dK = dS Q is not transposed'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    dK = dS.T @ Q / np.sqrt(d)\n', '    dK = dS @ Q / np.sqrt(d)\n'),
]
