"""The off-diagonal terms added, but their sum not weighted by a."""
NOTEBOOK = '14_bug_zoo_2.ipynb'
EXERCISE = 'zoo-8-fix'
KIND = 'mutant'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = 'weight dA by a'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('(A * dA).sum(axis=0',
     'dA.sum(axis=0'),
]
