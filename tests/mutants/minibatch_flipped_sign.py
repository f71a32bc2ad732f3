"""W += lr·dW: the update climbs the loss."""
NOTEBOOK = '06_training.ipynb'
EXERCISE = 'minibatch-gd'
KIND = 'mutant'
EXPECT_MESSAGE = 'uphill'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('                W -= lr * gW\n                b -= lr * gb\n',
     '                W += lr * gW\n                b += lr * gb\n'),
]
