"""He's std for every activation, tanh included."""
NOTEBOOK = '08_health_optim.ipynb'
EXERCISE = 'init-std'
KIND = 'mutant'
EXPECT_MESSAGE = "He's std used for"
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('if activation == "relu":',
     'if True:'),
]
