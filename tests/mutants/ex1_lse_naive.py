"""The naive log(sum(exp(z))): overflows for large z, log 0 for very negative z."""
NOTEBOOK = '07_shapes_softmax.ipynb'
EXERCISE = 'stable-logsumexp'
KIND = 'mutant'
EXPECT_MESSAGE = 'overflows for large z'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('M + np.log(np.sum(np.exp(z - M)',
     'np.log(np.sum(np.exp(z)'),
]
