"""Returns a transposed (samples as rows)."""
NOTEBOOK = '03_dense_layer.ipynb'
EXERCISE = 'dense-forward'
KIND = 'misbehaviour'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = 'transposed?'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    return bp.sigmoid(z), (a_prev, z)\n',
     '    return bp.sigmoid(z).T, (a_prev, z)\n'),
]
