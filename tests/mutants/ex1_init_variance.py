"""He's variance 2/fan_in returned instead of its std."""
NOTEBOOK = '08_health_optim.ipynb'
EXERCISE = 'init-std'
KIND = 'mutant'
EXPECT_MESSAGE = 'not the std'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('return np.sqrt(2.0 / fan_in)',
     'return 2.0 / fan_in'),
]
