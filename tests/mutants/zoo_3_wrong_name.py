"""Specimen 3 named 'missing_prime': gradcheck says the derivative is evaluated at a, not that it is missing."""
NOTEBOOK = '13_bug_zoo.ipynb'
EXERCISE = 'zoo-3-name'
KIND = 'mutant'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = "names 'missing_prime'"
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('return "prime_of_a"',
     'return "missing_prime"'),
]
