"""The moments updated in place: the caller's m changes."""
NOTEBOOK = '08_health_optim.ipynb'
EXERCISE = 'adam-step'
KIND = 'mutant'
EXPECT_MESSAGE = 'in place'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    m = beta1 * m + (1 - beta1) * g',
     '    m *= beta1\n    m += (1 - beta1) * g'),
]
