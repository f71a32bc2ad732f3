"""Truncation one step off: the carry is cut where t, not t + 1, is a multiple of k."""
NOTEBOOK = '11_recurrence.ipynb'
EXERCISE = 'bptt'
KIND = 'mutant'
EXPECT_MESSAGE = 'the truncation is one step off'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('(t + 1) % truncate == 0', 't % truncate == 0'),
]
