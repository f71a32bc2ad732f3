"""The output units' σ'(z) = o(1 - o) is left out."""
NOTEBOOK = '02_net222.ipynb'
EXERCISE = 'net222-gradients'
KIND = 'mutant'
EXPECT_MESSAGE = "σ'(z) = o(1 - o) is missing"
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    d_o1 = (o1 - y1) * o1 * (1 - o1)\n    d_o2 = (o2 - y2) * o2 * (1 - o2)\n',
     '    d_o1 = (o1 - y1)\n    d_o2 = (o2 - y2)\n'),
]
