"""Each sample's delta added as a row: (n, 1) + (1, n) broadcasts to (n, n)."""
NOTEBOOK = '13_bug_zoo.ipynb'
EXERCISE = 'zoo-4-fix'
KIND = 'mutant'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = 'broadcast to a matrix'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('db[l] + delta\n',
     'db[l] + delta.T\n'),
]
