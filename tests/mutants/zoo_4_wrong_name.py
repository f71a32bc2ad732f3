"""Specimen 4 named 'dropped_keepdims': a dropped keepdims leaves db of shape (n,), not (n, n)."""
NOTEBOOK = '13_bug_zoo.ipynb'
EXERCISE = 'zoo-4-name'
KIND = 'mutant'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = "names 'dropped_keepdims'"
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('return "bias_shape"',
     'return "dropped_keepdims"'),
]
