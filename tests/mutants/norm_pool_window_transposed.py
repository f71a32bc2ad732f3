"""Max-pool backward reads the window's flat index column by column."""
NOTEBOOK = '10_convolution.ipynb'
EXERCISE = 'maxpool-backward'
KIND = 'mutant'
EXPECT_STATUS = 'failed'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('p, q = 2 * i + k // 2, 2 * j + k % 2',
     'p, q = 2 * i + k % 2, 2 * j + k // 2'),
]
