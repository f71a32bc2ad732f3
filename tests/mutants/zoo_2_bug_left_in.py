"""The specimen as given: `=` where `+=` belongs, for dW and db."""
NOTEBOOK = '13_bug_zoo.ipynb'
EXERCISE = 'zoo-2-fix'
KIND = 'mutant'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = 'only the last sample counts'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('dW[l] += delta',
     'dW[l] = delta'),
    ('db[l] += delta',
     'db[l] = delta'),
]
