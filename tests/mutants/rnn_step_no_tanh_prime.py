"""tanh' forgotten: dz = dh."""
NOTEBOOK = '11_recurrence.ipynb'
EXERCISE = 'rnn-step-backward'
KIND = 'mutant'
EXPECT_MESSAGE = "tanh'(z) = 1 - h² is missing"
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    dz = dh * (1 - h ** 2)                      # through the tanh\n',
     '    dz = dh\n'),
]
