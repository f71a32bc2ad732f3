"""The textbook formula: np.exp(-z) overflows at z = -1000."""
NOTEBOOK = '01_sigmoid.ipynb'
EXERCISE = 'stable-sigmoid'
KIND = 'mutant'
EXPECT_MESSAGE = 'not stable'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    """σ(z) = 1 / (1 + exp(-z)), elementwise, without overflow."""\n    z = np.asarray(z, dtype=float)\n    e = np.exp(-np.abs(z))\n    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))\n',
     '    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))\n'),
]
