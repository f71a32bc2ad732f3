"""Specimen 1 named 'stale_gradients': a constant factor on every array, but one that follows m, not the number of calls."""
NOTEBOOK = '13_bug_zoo.ipynb'
EXERCISE = 'zoo-1-name'
KIND = 'mutant'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = "names 'stale_gradients'"
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('return "missing_mean"',
     'return "stale_gradients"'),
]
