"""Only the diagonal of the softmax Jacobian: dS = p(1 - p) g."""
NOTEBOOK = '12_attention.ipynb'
EXERCISE = 'masked-softmax-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'only the diagonal of the softmax Jacobian'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    return P * (G - (P * G).sum(axis=-1, keepdims=True))\n',
     '    return P * (1 - P) * G\n'),
]
