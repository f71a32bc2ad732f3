"""Xavier without its factor 2: sqrt(1/(fan_in + fan_out))."""
NOTEBOOK = '08_health_optim.ipynb'
EXERCISE = 'init-std'
KIND = 'mutant'
EXPECT_MESSAGE = "lacks Xavier's factor 2"
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('np.sqrt(2.0 / (fan_in + fan_out))',
     'np.sqrt(1.0 / (fan_in + fan_out))'),
]
