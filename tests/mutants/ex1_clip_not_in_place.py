"""`g = g * scale` rebinds a name: the caller's arrays are not clipped."""
NOTEBOOK = '08_health_optim.ipynb'
EXERCISE = 'clip-grad-norm'
KIND = 'mutant'
EXPECT_MESSAGE = 'not clipped in place'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('        g *= scale',
     '        g = g * scale'),
]
