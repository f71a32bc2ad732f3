"""dW converted to float32: about 7 digits, where every task asks for float64."""
NOTEBOOK = '03_dense_layer.ipynb'
EXERCISE = 'dense-backward'
KIND = 'mutant'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = 'dtype float32'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    return Delta @ a_prev.T, Delta.sum(axis=1, keepdims=True), W.T @ Delta\n',
     '    return (Delta @ a_prev.T).astype(np.float32), Delta.sum(axis=1, keepdims=True), W.T @ Delta\n'),
]
