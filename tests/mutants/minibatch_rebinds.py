"""`W = W - lr * dW` rebinds a local name: the network never changes."""
NOTEBOOK = '06_training.ipynb'
EXERCISE = 'minibatch-gd'
KIND = 'mutant'
EXPECT_MESSAGE = 'did not change'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('                W -= lr * gW\n                b -= lr * gb\n',
     '                W = W - lr * gW\n                b = b - lr * gb\n'),
]
