"""Never stops early: always max_epochs updates."""
NOTEBOOK = '06_training.ipynb'
EXERCISE = 'fix-perceptron-stopping'
KIND = 'mutant'
EXPECT_MESSAGE = 'stopped after'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('        if np.array_equal(y, t):\n            return w, b, epoch, True\n',
     ''),
]
