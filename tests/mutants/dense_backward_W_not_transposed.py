"""dA_prev = W Delta: W not transposed."""
NOTEBOOK = '03_dense_layer.ipynb'
EXERCISE = 'dense-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'dense_backward(...) raised ValueError'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    return Delta @ a_prev.T, Delta.sum(axis=1, keepdims=True), W.T @ Delta\n',
     '    return Delta @ a_prev.T, Delta.sum(axis=1, keepdims=True), W @ Delta\n'),
]
