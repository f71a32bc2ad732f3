"""He with fan_out instead of fan_in."""
NOTEBOOK = '08_health_optim.ipynb'
EXERCISE = 'init-std'
KIND = 'mutant'
EXPECT_MESSAGE = "He's std with fan_out"
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('np.sqrt(2.0 / fan_in)',
     'np.sqrt(2.0 / fan_out)'),
]
