"""An over-correction: the derivative dropped instead of fixed."""
NOTEBOOK = '13_bug_zoo.ipynb'
EXERCISE = 'zoo-3-fix'
KIND = 'mutant'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = 'left out altogether'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    (" * a[l] * (1 - a[l])   # σ'(z)",
     ''),
]
