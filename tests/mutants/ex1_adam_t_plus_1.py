"""The bias correction with t + 1, as if t counted the steps before this one."""
NOTEBOOK = '08_health_optim.ipynb'
EXERCISE = 'adam-step'
KIND = 'mutant'
EXPECT_MESSAGE = 'uses t + 1'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('(1 - beta1 ** t)',
     '(1 - beta1 ** (t + 1))'),
    ('(1 - beta2 ** t)',
     '(1 - beta2 ** (t + 1))'),
]
