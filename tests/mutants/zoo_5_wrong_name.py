"""Specimen 5 named 'bias_shape': the bias-shape defect gives db of shape (n, n), not (n,)."""
NOTEBOOK = '14_bug_zoo_2.ipynb'
EXERCISE = 'zoo-5-name'
KIND = 'mutant'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = "names 'bias_shape'"
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('return "dropped_keepdims"',
     'return "bias_shape"'),
]
