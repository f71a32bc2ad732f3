"""An over-correction: 1/m applied twice."""
NOTEBOOK = '13_bug_zoo.ipynb'
EXERCISE = 'zoo-1-fix'
KIND = 'mutant'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = 'the 1/m is applied twice'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('/ Y.size ',
     '/ (Y.size * X.shape[1]) '),
]
