"""Only the diagonal of the softmax Jacobian inside the head."""
NOTEBOOK = '12_attention.ipynb'
EXERCISE = 'attention-head-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'only the diagonal of the softmax Jacobian'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    dS = P * (dP - (P * dP).sum(axis=1, keepdims=True))\n',
     '    dS = P * (1 - P) * dP\n'),
]
