"""The specimen as given: W, not Wᵀ, sends δ back."""
NOTEBOOK = '14_bug_zoo_2.ipynb'
EXERCISE = 'zoo-6-fix'
KIND = 'mutant'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = 'still used untransposed'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('(weights[l].T @ delta)',
     '(weights[l] @ delta)'),
]
