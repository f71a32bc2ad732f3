"""Adam without the bias correction 1/(1 - beta^t)."""
NOTEBOOK = '08_health_optim.ipynb'
EXERCISE = 'adam-step'
KIND = 'mutant'
EXPECT_MESSAGE = 'no bias correction'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    m_hat = m / (1 - beta1 ** t)\n    v_hat = v / (1 - beta2 ** t)',
     '    m_hat, v_hat = m, v'),
]
