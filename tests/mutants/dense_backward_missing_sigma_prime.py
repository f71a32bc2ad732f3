"""Delta = dA: the activation derivative σ'(z) is missing."""
NOTEBOOK = '03_dense_layer.ipynb'
EXERCISE = 'dense-backward'
KIND = 'mutant'
EXPECT_MESSAGE = "σ'(z) is missing"
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    Delta = dA * bp.sigmoid_prime(z)\n',
     '    Delta = dA\n'),
]
