"""dW_hh transposed: h_prevᵀ dz."""
NOTEBOOK = '11_recurrence.ipynb'
EXERCISE = 'rnn-step-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'dW_hh is transposed'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    dW_hh = dz.T @ h_prev\n', '    dW_hh = h_prev.T @ dz\n'),
]
