"""Returns a as a nested Python list."""
NOTEBOOK = '03_dense_layer.ipynb'
EXERCISE = 'dense-forward'
KIND = 'misbehaviour'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = 'should be a numpy array'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    return bp.sigmoid(z), (a_prev, z)\n',
     '    return bp.sigmoid(z).tolist(), (a_prev, z)\n'),
]
