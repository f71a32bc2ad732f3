"""The result drops the reduced axis (no keepdims on the output)."""
NOTEBOOK = '07_shapes_softmax.ipynb'
EXERCISE = 'stable-logsumexp'
KIND = 'mutant'
EXPECT_MESSAGE = 'keepdims=True'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('return M + np.log(np.sum(np.exp(z - M), axis=axis, keepdims=True))',
     'return np.squeeze(M, axis) + np.log(np.sum(np.exp(z - M), axis=axis))'),
]
