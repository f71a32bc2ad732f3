"""The specimen as given: only the diagonal a(1 - a) of the softmax's Jacobian."""
NOTEBOOK = '14_bug_zoo_2.ipynb'
EXERCISE = 'zoo-8-fix'
KIND = 'mutant'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = 'only the diagonal'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('A * (dA - (A * dA).sum(axis=0, keepdims=True))',
     'dA * A * (1 - A)'),
]
