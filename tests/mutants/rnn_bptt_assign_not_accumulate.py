"""dW_hh assigned at every step (= where += belongs): only one step's term is left."""
NOTEBOOK = '11_recurrence.ipynb'
EXERCISE = 'bptt'
KIND = 'mutant'
EXPECT_MESSAGE = 'dW_hh keeps only one step'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('            dW_hh += dz.T @ h[:, t - 1]\n', '            dW_hh = dz.T @ h[:, t - 1]\n'),
]
