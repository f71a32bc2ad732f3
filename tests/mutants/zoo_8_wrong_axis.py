"""The Jacobian's sum taken over the samples instead of the units."""
NOTEBOOK = '14_bug_zoo_2.ipynb'
EXERCISE = 'zoo-8-fix'
KIND = 'mutant'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = 'disagrees'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('(A * dA).sum(axis=0, keepdims=True)',
     '(A * dA).sum(axis=1, keepdims=True)'),
]
