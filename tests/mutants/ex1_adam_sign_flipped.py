"""theta + lr * ...: the step goes uphill."""
NOTEBOOK = '08_health_optim.ipynb'
EXERCISE = 'adam-step'
KIND = 'mutant'
EXPECT_MESSAGE = 'uphill'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('theta = theta - lr',
     'theta = theta + lr'),
]
