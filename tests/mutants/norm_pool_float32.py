"""Max-pool backward returns float32 where the task asks for float64."""
NOTEBOOK = '10_convolution.ipynb'
EXERCISE = 'maxpool-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'dtype float32'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    dx = np.zeros(x.shape)\n',
     '    dx = np.zeros(x.shape, dtype=np.float32)\n'),
]
