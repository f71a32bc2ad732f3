"""A sigmoid that clips its argument in place."""
NOTEBOOK = '01_sigmoid.ipynb'
EXERCISE = 'stable-sigmoid'
KIND = 'misbehaviour'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = 'changed its input `z` in place'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    """σ(z) = 1 / (1 + exp(-z)), elementwise, without overflow."""\n',
     '    if isinstance(z, np.ndarray):\n        np.clip(z, -1.0, 1.0, out=z)\n'),
]
