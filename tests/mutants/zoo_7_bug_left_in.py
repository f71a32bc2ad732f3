"""The specimen as given: the buffers are never zeroed."""
NOTEBOOK = '14_bug_zoo_2.ipynb'
EXERCISE = 'zoo-7-fix'
KIND = 'mutant'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = 'stale gradients'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    for g in dW + db:                     # a fresh start on every call\n        g[...] = 0.0\n',
     ''),
]
