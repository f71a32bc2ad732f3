"""Clipping by value, each entry to [-c, c], instead of by the global norm."""
NOTEBOOK = '08_health_optim.ipynb'
EXERCISE = 'clip-grad-norm'
KIND = 'mutant'
EXPECT_MESSAGE = 'clipping by value'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('        g *= scale',
     '        np.clip(g, -max_norm, max_norm, out=g)'),
]
