"""BPTT carrying back through W_hhᵀ."""
NOTEBOOK = '11_recurrence.ipynb'
EXERCISE = 'bptt'
KIND = 'mutant'
EXPECT_MESSAGE = 'the carry goes back through W_hhᵀ'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('        carry = dz @ W_hh\n', '        carry = dz @ W_hh.T\n'),
]
