"""A one-sided difference (f(x + h) - f(x)) / h: error O(h)."""
NOTEBOOK = '05_gradient_check.ipynb'
EXERCISE = 'central-difference'
KIND = 'mutant'
EXPECT_MESSAGE = 'one-sided'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    grad = np.zeros(x.shape)\n',
     '    grad = np.zeros(x.shape)\n    f0 = f()\n'),
    ('        plus = f()\n        x[i] = old - h\n        minus = f()\n',
     '        grad[i] = (f() - f0) / h\n'),
    ('        grad[i] = (plus - minus) / (2 * h)\n',
     ''),
]
