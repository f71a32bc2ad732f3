"""max_norm / ‖g‖ without PyTorch's 1e-6 or a test: all-zero gradients divide by zero (caught by the hidden tests)."""
NOTEBOOK = '08_health_optim.ipynb'
EXERCISE = 'clip-grad-norm'
KIND = 'mutant'
EXPECT_MESSAGE = 'without dividing by zero'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('max_norm / (total + 1e-6)',
     'max_norm / total'),
]
