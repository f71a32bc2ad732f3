"""A right answer that prints 200 000 characters per call."""
NOTEBOOK = '01_sigmoid.ipynb'
EXERCISE = 'stable-sigmoid'
KIND = 'misbehaviour'
EXPECT_STATUS = 'passed'
EXPECT_MESSAGE = 'characters'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    """σ(z) = 1 / (1 + exp(-z)), elementwise, without overflow."""\n',
     '    print("debug " * 40_000)\n'),
]
