"""Perturbs a copy of x, which f() never reads: every difference is 0."""
NOTEBOOK = '05_gradient_check.ipynb'
EXERCISE = 'central-difference'
KIND = 'mutant'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = 'perturb x in place'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('        old = x[i]\n        x[i] = old + h\n        plus = f()\n        x[i] = old - h\n'
     '        minus = f()\n        x[i] = old\n',
     '        xc = x.copy()\n        xc[i] += h\n        plus = f()\n        xc[i] -= 2 * h\n'
     '        minus = f()\n'),
]
