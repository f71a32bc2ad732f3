"""keepdims kept, but the sum over the units instead of the samples."""
NOTEBOOK = '14_bug_zoo_2.ipynb'
EXERCISE = 'zoo-5-fix'
KIND = 'mutant'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = 'shape broadcast gone wrong'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('delta.sum(axis=1, keepdims=True)',
     'delta.sum(axis=0, keepdims=True)'),
]
