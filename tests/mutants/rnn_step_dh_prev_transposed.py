"""dh_prev through W_hhᵀ instead of W_hh."""
NOTEBOOK = '11_recurrence.ipynb'
EXERCISE = 'rnn-step-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'dh_prev goes back through W_hhᵀ'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    dh_prev = dz @ W_hh\n', '    dh_prev = dz @ W_hh.T\n'),
]
