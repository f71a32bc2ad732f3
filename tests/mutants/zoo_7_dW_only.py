"""Only dW's buffers zeroed: db keeps the previous calls' gradients."""
NOTEBOOK = '14_bug_zoo_2.ipynb'
EXERCISE = 'zoo-7-fix'
KIND = 'mutant'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = 'stale gradients'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('for g in dW + db:',
     'for g in dW:'),
]
