"""Gradients summed across batches and never reset: each step uses all batches so far."""
NOTEBOOK = '06_training.ipynb'
EXERCISE = 'minibatch-gd'
KIND = 'mutant'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = 'summed across batches'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    losses = []\n', '    losses, total = [], None\n'),
    ('            losses.append(loss)\n',
     '            losses.append(loss)\n'
     '            total = [g.copy() for g in dW + db] if total is None else '
     '[t + g for t, g in zip(total, dW + db)]\n'
     '            dW, db = total[:len(dW)], total[len(dW):]\n'),
]
