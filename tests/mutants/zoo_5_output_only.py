"""keepdims restored for the output layer only."""
NOTEBOOK = '14_bug_zoo_2.ipynb'
EXERCISE = 'zoo-5-fix'
KIND = 'mutant'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = 'without keepdims'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('db[l] = delta.sum(axis=1, keepdims=True)',
     'db[l] = delta.sum(axis=1, keepdims=(l == L - 1))'),
]
