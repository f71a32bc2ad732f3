"""Central difference divided by h instead of 2h."""
NOTEBOOK = '05_gradient_check.ipynb'
EXERCISE = 'central-difference'
KIND = 'mutant'
EXPECT_MESSAGE = 'factor 2'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('        grad[i] = (plus - minus) / (2 * h)\n',
     '        grad[i] = (plus - minus) / h\n'),
]
