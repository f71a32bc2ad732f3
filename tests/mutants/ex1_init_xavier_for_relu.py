"""Xavier's std used for the ReLU too."""
NOTEBOOK = '08_health_optim.ipynb'
EXERCISE = 'init-std'
KIND = 'mutant'
EXPECT_MESSAGE = "Xavier's std used for ReLU"
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('return np.sqrt(2.0 / fan_in)',
     'return np.sqrt(2.0 / (fan_in + fan_out))'),
]
