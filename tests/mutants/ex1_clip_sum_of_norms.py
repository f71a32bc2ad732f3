"""The 'global norm' as the sum of the arrays' norms."""
NOTEBOOK = '08_health_optim.ipynb'
EXERCISE = 'clip-grad-norm'
KIND = 'mutant'
EXPECT_MESSAGE = "sum of the arrays' norms"
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('np.sqrt(sum(np.sum(g * g) for g in grads))',
     'sum(np.sqrt(np.sum(g * g)) for g in grads)'),
]
