"""dA_prev = W dZ: W not transposed."""
NOTEBOOK = '03_dense_layer.ipynb'
EXERCISE = 'dense-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'dense_backward(...) raised ValueError'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    return dZ @ a_prev.T, dZ.sum(axis=1, keepdims=True), W.T @ dZ\n',
     '    return dZ @ a_prev.T, dZ.sum(axis=1, keepdims=True), W @ dZ\n'),
]
