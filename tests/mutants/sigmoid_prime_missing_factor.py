"""σ'(z) returned as σ(z): the factor (1 - σ(z)) is missing."""
NOTEBOOK = '01_sigmoid.ipynb'
EXERCISE = 'stable-sigmoid'
KIND = 'mutant'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    """σ\'(z) = σ(z) (1 - σ(z)), elementwise."""\n    s = sigmoid(z)\n    return s * (1.0 - s)\n',
     '    return sigmoid(z)\n'),
]
