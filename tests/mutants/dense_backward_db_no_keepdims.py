"""db summed without keepdims: shape (n_out,) not (n_out, 1)."""
NOTEBOOK = '03_dense_layer.ipynb'
EXERCISE = 'dense-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'keepdims'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    return dZ @ a_prev.T, dZ.sum(axis=1, keepdims=True), W.T @ dZ\n',
     '    return dZ @ a_prev.T, dZ.sum(axis=1), W.T @ dZ\n'),
]
