"""db averaged over the batch: an extra 1/m."""
NOTEBOOK = '03_dense_layer.ipynb'
EXERCISE = 'dense-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'db'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    return Delta @ a_prev.T, Delta.sum(axis=1, keepdims=True), W.T @ Delta\n',
     '    return Delta @ a_prev.T, Delta.mean(axis=1, keepdims=True), W.T @ Delta\n'),
]
