"""The softmax without the row max subtracted: overflows for large logits."""
NOTEBOOK = '07_shapes_softmax.ipynb'
EXERCISE = 'softmax-ce-backward'
KIND = 'mutant'
# no expected message: with most random logits the naive softmax overflows (and the grade
# says so), with some it only disagrees; either way it fails
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('np.exp(Z - Z.max(axis=1, keepdims=True))',
     'np.exp(Z)'),
]
