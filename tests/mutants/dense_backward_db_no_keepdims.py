"""db summed without keepdims: shape (n_out,) not (n_out, 1)."""
NOTEBOOK = '03_dense_layer.ipynb'
EXERCISE = 'dense-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'keepdims'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    return Delta @ a_prev.T, Delta.sum(axis=1, keepdims=True), W.T @ Delta\n',
     '    return Delta @ a_prev.T, Delta.sum(axis=1), W.T @ Delta\n'),
]
