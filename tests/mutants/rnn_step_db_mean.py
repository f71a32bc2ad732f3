"""db averaged over the batch: an extra 1/N."""
NOTEBOOK = '11_recurrence.ipynb'
EXERCISE = 'rnn-step-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'db is averaged over the batch'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    db = dz.sum(axis=0)\n', '    db = dz.mean(axis=0)\n'),
]
