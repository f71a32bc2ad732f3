"""The row sum added instead of subtracted."""
NOTEBOOK = '12_attention.ipynb'
EXERCISE = 'masked-softmax-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'the row sum has the wrong sign'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('(G - (P * G)', '(G + (P * G)'),
]
