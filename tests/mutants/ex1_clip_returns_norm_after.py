"""Returns the norm after clipping, not before."""
NOTEBOOK = '08_health_optim.ipynb'
EXERCISE = 'clip-grad-norm'
KIND = 'mutant'
EXPECT_MESSAGE = 'the norm after clipping'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('return float(total)',
     'return float(total * scale)'),
]
