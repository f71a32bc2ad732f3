"""Specimen 2 named 'transposed_weight': only the hidden layer is wrong for a transposed weight; here the output layer is too."""
NOTEBOOK = '13_bug_zoo.ipynb'
EXERCISE = 'zoo-2-name'
KIND = 'mutant'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = "names 'transposed_weight'"
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('return "assign_not_accumulate"',
     'return "transposed_weight"'),
]
