"""The specimen as given: ∂C/∂A divided by n_L only, the 1/m missing."""
NOTEBOOK = '13_bug_zoo.ipynb'
EXERCISE = 'zoo-1-fix'
KIND = 'mutant'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = 'the 1/m is still missing'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('/ Y.size ',
     '/ Y.shape[0] '),
]
