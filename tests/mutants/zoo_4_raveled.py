"""The broadcast avoided by flattening: db of shape (n,)."""
NOTEBOOK = '13_bug_zoo.ipynb'
EXERCISE = 'zoo-4-fix'
KIND = 'mutant'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = 'without keepdims'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('np.zeros((len(b), 1))',
     'np.zeros(len(b))'),
    ('db[l] + delta\n',
     'db[l] + delta.ravel()\n'),
]
