"""The specimen as given: σ'(a) where σ'(z) belongs."""
NOTEBOOK = '13_bug_zoo.ipynb'
EXERCISE = 'zoo-3-fix'
KIND = 'mutant'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = "σ'(a) is still used"
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ("* a[l] * (1 - a[l])   # σ'(z)",
     '* sigmoid_prime(a[l])'),
]
