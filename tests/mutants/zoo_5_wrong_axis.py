"""keepdims kept, but the sum over the units instead of the samples."""
NOTEBOOK = '14_bug_zoo_2.ipynb'
EXERCISE = 'zoo-5-fix'
KIND = 'mutant'
EXPECT_STATUS = 'failed'
# the diagnosis reads 'shape broadcast gone wrong' or, when the random layer width equals
# the batch size, 'wrong shape ... (transposed, ...)': both name the shapes
EXPECT_MESSAGE = ', expected ('
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('delta.sum(axis=1, keepdims=True)',
     'delta.sum(axis=0, keepdims=True)'),
]
