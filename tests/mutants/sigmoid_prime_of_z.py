"""Source 004's derivative x(1 - x), written for a = σ(z), applied to z."""
NOTEBOOK = '01_sigmoid.ipynb'
EXERCISE = 'stable-sigmoid'
KIND = 'mutant'
EXPECT_MESSAGE = 'in terms of a = σ(z)'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    """σ\'(z) = σ(z) (1 - σ(z)), elementwise."""\n    s = sigmoid(z)\n    return s * (1.0 - s)\n',
     '    return z * (1 - z)\n'),
]
