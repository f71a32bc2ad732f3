"""The softmax without the row max subtracted: overflows for large logits."""
NOTEBOOK = '07_shapes_softmax.ipynb'
EXERCISE = 'softmax-ce-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'overflows for large logits'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('np.exp(Z - Z.max(axis=1, keepdims=True))',
     'np.exp(Z)'),
]
