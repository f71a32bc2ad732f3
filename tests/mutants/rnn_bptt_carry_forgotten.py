"""BPTT without the carry: dh_t = dout_t only."""
NOTEBOOK = '11_recurrence.ipynb'
EXERCISE = 'bptt'
KIND = 'mutant'
EXPECT_MESSAGE = 'the carry is forgotten'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('        dz = (dout[:, t] + carry) * (1 - h[:, t] ** 2)\n',
     '        dz = dout[:, t] * (1 - h[:, t] ** 2)\n'),
]
