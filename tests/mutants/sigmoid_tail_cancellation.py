"""Stable but imprecise: 1 - σ(-z) for z < 0 cancels to 0 in the tail (hidden test)."""
NOTEBOOK = '01_sigmoid.ipynb'
EXERCISE = 'stable-sigmoid'
KIND = 'mutant'
EXPECT_MESSAGE = 'relative accuracy'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))\n',
     '    return np.where(z >= 0, 1.0 / (1.0 + e), 1.0 - 1.0 / (1.0 + e))\n'),
]
