"""Source 002's rule: loop until every point is right, which never happens on XOR."""
NOTEBOOK = '06_training.ipynb'
EXERCISE = 'fix-perceptron-stopping'
KIND = 'mutant'
EXPECT_STATUS = 'timed out'
EXPECT_MESSAGE = 'did not return within'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    for epoch in range(max_epochs):\n',
     '    epoch = 0\n    while not np.array_equal((w @ X + b > 0).astype(float), t):\n'),
    ('        if np.array_equal(y, t):\n            return w, b, epoch, True\n',
     ''),
    ('    y = (w @ X + b > 0).astype(float)\n    return w, b, max_epochs, bool(np.array_equal(y, t))\n',
     '        epoch += 1\n    return w, b, epoch, True\n'),
]
