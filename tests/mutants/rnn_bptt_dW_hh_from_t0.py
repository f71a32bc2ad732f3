"""dW_hh pairs dz_t with h_t instead of h_{t-1}."""
NOTEBOOK = '11_recurrence.ipynb'
EXERCISE = 'bptt'
KIND = 'mutant'
EXPECT_MESSAGE = 'dW_hh pairs dz_t with h_t'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('            dW_hh += dz.T @ h[:, t - 1]\n', '            dW_hh += dz.T @ h[:, t]\n'),
]
