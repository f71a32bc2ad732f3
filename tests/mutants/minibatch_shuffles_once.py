"""One permutation drawn before the first epoch and reused: the data is shuffled only once."""
NOTEBOOK = '06_training.ipynb'
EXERCISE = 'minibatch-gd'
KIND = 'mutant'
EXPECT_MESSAGE = 'shuffled only once'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    losses = []\n',
     '    losses = []\n    order_once = rng.permutation(m)\n'),
    ('        order = rng.permutation(m) if batch_size < m else np.arange(m)\n',
     '        order = order_once\n'),
]
