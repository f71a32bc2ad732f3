"""Batches always in the original order."""
NOTEBOOK = '06_training.ipynb'
EXERCISE = 'minibatch-gd'
KIND = 'mutant'
EXPECT_MESSAGE = 'never shuffled'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('        order = rng.permutation(m) if batch_size < m else np.arange(m)\n',
     '        order = np.arange(m)\n'),
]
