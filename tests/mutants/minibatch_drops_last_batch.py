"""The last, smaller batch is skipped."""
NOTEBOOK = '06_training.ipynb'
EXERCISE = 'minibatch-gd'
KIND = 'mutant'
EXPECT_MESSAGE = 'last, smaller batch'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('        for start in range(0, m, batch_size):\n',
     '        for start in range(0, m - batch_size + 1, batch_size):\n'),
]
