"""The shift is the maximum of the whole array, not one per row: rows of very different scales underflow (caught by the hidden tests)."""
NOTEBOOK = '07_shapes_softmax.ipynb'
EXERCISE = 'stable-logsumexp'
KIND = 'mutant'
EXPECT_MESSAGE = 'not of the whole array'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('M = np.max(z, axis=axis, keepdims=True)',
     'M = np.max(z)'),
]
