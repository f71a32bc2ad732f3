"""db not summed over the batch: shape (N, H)."""
NOTEBOOK = '11_recurrence.ipynb'
EXERCISE = 'rnn-step-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'sum it over the batch'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    db = dz.sum(axis=0)\n', '    db = dz\n'),
]
