"""Specimen 7 named 'missing_factor_2': the factor 2 appears on the second call only, and grows with the calls."""
NOTEBOOK = '14_bug_zoo_2.ipynb'
EXERCISE = 'zoo-7-name'
KIND = 'mutant'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = "names 'missing_factor_2'"
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('return "stale_gradients"',
     'return "missing_factor_2"'),
]
