"""δ sent back through the rows of W2 instead of its columns (W2 not transposed)."""
NOTEBOOK = '02_net222.ipynb'
EXERCISE = 'net222-gradients'
KIND = 'mutant'
EXPECT_MESSAGE = 'W2 is not transposed'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    d_h1 = (d_o1 * w["w5"] + d_o2 * w["w6"]) * h1 * (1 - h1)\n    d_h2 = (d_o1 * w["w7"] + d_o2 * w["w8"]) * h2 * (1 - h2)\n',
     '    d_h1 = (d_o1 * w["w5"] + d_o2 * w["w7"]) * h1 * (1 - h1)\n    d_h2 = (d_o1 * w["w6"] + d_o2 * w["w8"]) * h2 * (1 - h2)\n'),
]
