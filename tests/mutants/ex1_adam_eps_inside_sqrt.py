"""eps inside the square root: sqrt(v_hat + eps)."""
NOTEBOOK = '08_health_optim.ipynb'
EXERCISE = 'adam-step'
KIND = 'mutant'
EXPECT_MESSAGE = 'inside the square root'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('(np.sqrt(v_hat) + eps)',
     'np.sqrt(v_hat + eps)'),
]
