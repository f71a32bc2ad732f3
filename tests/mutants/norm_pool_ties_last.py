"""Max-pool backward: ties go to the last maximum of the window."""
NOTEBOOK = '10_convolution.ipynb'
EXERCISE = 'maxpool-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'last maximum'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('k = window.argmax(axis=2)',
     'k = 3 - window[:, :, ::-1].argmax(axis=2)'),
]
