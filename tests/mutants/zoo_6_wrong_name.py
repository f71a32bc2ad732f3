"""Specimen 6 named 'prime_of_a': gradcheck would say 'evaluated at a instead of z'."""
NOTEBOOK = '14_bug_zoo_2.ipynb'
EXERCISE = 'zoo-6-name'
KIND = 'mutant'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = "names 'prime_of_a'"
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('return "transposed_weight"',
     'return "prime_of_a"'),
]
