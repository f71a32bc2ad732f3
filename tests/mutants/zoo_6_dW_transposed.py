"""An over-correction: dW transposed too."""
NOTEBOOK = '14_bug_zoo_2.ipynb'
EXERCISE = 'zoo-6-fix'
KIND = 'mutant'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = 'transposed'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('dW[l] = delta @ a[l].T',
     'dW[l] = a[l] @ delta.T'),
]
