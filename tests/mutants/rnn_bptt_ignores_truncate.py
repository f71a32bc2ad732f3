"""truncate is accepted and ignored: always the full gradient."""
NOTEBOOK = '11_recurrence.ipynb'
EXERCISE = 'bptt'
KIND = 'mutant'
EXPECT_MESSAGE = 'truncate is ignored'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('        if truncate is not None and (t + 1) % truncate == 0:\n', '        if False:\n'),
]
