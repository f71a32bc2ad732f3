"""Shuffles the data set in place."""
NOTEBOOK = '06_training.ipynb'
EXERCISE = 'minibatch-gd'
KIND = 'misbehaviour'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = 'changed its input `X` in place'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('        order = rng.permutation(m) if batch_size < m else np.arange(m)\n',
     '        order = rng.permutation(m) if batch_size < m else np.arange(m)\n        X[:], Y[:] = X[:, order], Y[:, order]\n'),
    ('            idx = order[start:start + batch_size]\n            loss, dW, db = net.gradients(X[:, idx], Y[:, idx])\n',
     '            batch = slice(start, start + batch_size)\n            loss, dW, db = net.gradients(X[:, batch], Y[:, batch])\n'),
]
