"""dV = P dOut: P not transposed."""
NOTEBOOK = '12_attention.ipynb'
EXERCISE = 'attention-head-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'dV = P dOut is not transposed'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    dV = P.T @ dOut\n', '    dV = P @ dOut\n'),
]
