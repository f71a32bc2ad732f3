"""dW converted to float32: about 7 digits, where every task asks for float64."""
NOTEBOOK = '03_dense_layer.ipynb'
EXERCISE = 'dense-backward'
KIND = 'mutant'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = 'dtype float32'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    return dZ @ a_prev.T, dZ.sum(axis=1, keepdims=True), W.T @ dZ\n',
     '    return (dZ @ a_prev.T).astype(np.float32), dZ.sum(axis=1, keepdims=True), W.T @ dZ\n'),
]
