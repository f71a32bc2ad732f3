"""`+=` restored for dW only: db keeps the last sample's term."""
NOTEBOOK = '13_bug_zoo.ipynb'
EXERCISE = 'zoo-2-fix'
KIND = 'mutant'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = 'db[0]'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('db[l] += delta',
     'db[l] = delta'),
]
