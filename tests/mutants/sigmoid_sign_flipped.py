"""Source 003's sigmoid: 1/(1 + exp(+z)) = σ(-z) (stable, but the wrong sign)."""
NOTEBOOK = '01_sigmoid.ipynb'
EXERCISE = 'stable-sigmoid'
KIND = 'mutant'
EXPECT_MESSAGE = 'sign of the exponent is flipped'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    """σ(z) = 1 / (1 + exp(-z)), elementwise, without overflow."""\n    z = np.asarray(z, dtype=float)\n',
     '    z = -np.asarray(z, dtype=float)\n'),
]
