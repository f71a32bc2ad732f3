"""The max is subtracted but never added back."""
NOTEBOOK = '07_shapes_softmax.ipynb'
EXERCISE = 'stable-logsumexp'
KIND = 'mutant'
EXPECT_MESSAGE = 'not added back'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('return M + np.log(',
     'return np.log('),
]
