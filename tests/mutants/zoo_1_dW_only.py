"""The symptom fixed on dW only: db still lacks the 1/m."""
NOTEBOOK = '13_bug_zoo.ipynb'
EXERCISE = 'zoo-1-fix'
KIND = 'mutant'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = 'db[0]'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('/ Y.size ',
     '/ Y.shape[0] '),
    ('dW[l] = delta @ a[l].T',
     'dW[l] = delta @ a[l].T / X.shape[1]'),
]
