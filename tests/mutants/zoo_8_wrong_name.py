"""Specimen 8 named 'prime_of_a': only the output layer's derivative is wrong, and gradcheck would name σ'(a)."""
NOTEBOOK = '14_bug_zoo_2.ipynb'
EXERCISE = 'zoo-8-name'
KIND = 'mutant'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = "names 'prime_of_a'"
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('return "softmax_diagonal"',
     'return "prime_of_a"'),
]
