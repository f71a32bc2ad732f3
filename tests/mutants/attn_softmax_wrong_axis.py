"""The sum of p g over the columns (axis -2) instead of the row."""
NOTEBOOK = '12_attention.ipynb'
EXERCISE = 'masked-softmax-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'the wrong axis'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('(P * G).sum(axis=-1, keepdims=True)', '(P * G).sum(axis=-2, keepdims=True)'),
]
