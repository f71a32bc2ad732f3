"""The factor max_norm/‖g‖ without min(1, ...): small gradients are scaled up."""
NOTEBOOK = '08_health_optim.ipynb'
EXERCISE = 'clip-grad-norm'
KIND = 'mutant'
EXPECT_MESSAGE = 'scaled up'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('min(1.0, max_norm / (total + 1e-6))',
     'max_norm / (total + 1e-6)'),
]
