"""exp of the raw scores: overflows near 1000."""
NOTEBOOK = '12_attention.ipynb'
EXERCISE = 'masked-softmax-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'is not stable'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    P = np.exp(S - S.max(axis=-1, keepdims=True))\n', '    P = np.exp(S)\n'),
]
