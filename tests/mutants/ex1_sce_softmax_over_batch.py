"""The softmax taken along axis 0, over the samples."""
NOTEBOOK = '07_shapes_softmax.ipynb'
EXERCISE = 'softmax-ce-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'over the batch (axis 0)'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('E = np.exp(Z - Z.max(axis=1, keepdims=True))\n    P = E / E.sum(axis=1, keepdims=True)',
     'E = np.exp(Z - Z.max(axis=0, keepdims=True))\n    P = E / E.sum(axis=0, keepdims=True)'),
]
