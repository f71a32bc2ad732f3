"""Each entry is left at x - h."""
NOTEBOOK = '05_gradient_check.ipynb'
EXERCISE = 'central-difference'
KIND = 'mutant'
EXPECT_MESSAGE = 'left x changed'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('        x[i] = old\n',
     ''),
]
