"""tanh' taken at the previous state, 1 - h_prev²."""
NOTEBOOK = '11_recurrence.ipynb'
EXERCISE = 'rnn-step-backward'
KIND = 'mutant'
EXPECT_MESSAGE = "tanh' is taken at h_prev"
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    dz = dh * (1 - h ** 2)                      # through the tanh\n',
     '    dz = dh * (1 - h_prev ** 2)\n'),
]
