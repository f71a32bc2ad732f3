"""Each array clipped by its own norm, not by the global one."""
NOTEBOOK = '08_health_optim.ipynb'
EXERCISE = 'clip-grad-norm'
KIND = 'mutant'
EXPECT_MESSAGE = 'clipped by its own norm'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    scale = min(1.0, max_norm / (total + 1e-6))\n    for g in grads:\n        g *= scale',
     '    for g in grads:\n        g *= min(1.0, max_norm / (np.sqrt(np.sum(g * g)) + 1e-6))'),
]
