"""m = (1 - beta1) m + beta1 g: the betas swapped in the first moment."""
NOTEBOOK = '08_health_optim.ipynb'
EXERCISE = 'adam-step'
KIND = 'mutant'
EXPECT_MESSAGE = 'betas are swapped'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('m = beta1 * m + (1 - beta1) * g',
     'm = (1 - beta1) * m + beta1 * g'),
]
