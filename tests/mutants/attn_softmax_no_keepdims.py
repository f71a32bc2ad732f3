"""The row sum without keepdims: broadcast against the wrong axis."""
NOTEBOOK = '12_attention.ipynb'
EXERCISE = 'masked-softmax-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'no keepdims=True'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('(P * G).sum(axis=-1, keepdims=True)', '(P * G).sum(axis=-1)'),
]
