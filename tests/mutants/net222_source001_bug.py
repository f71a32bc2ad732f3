"""Source 001's hidden gradients: d_w5 + d_w6 where δo1·w5 + δo2·w6 belongs."""
NOTEBOOK = '02_net222.ipynb'
EXERCISE = 'net222-gradients'
KIND = 'mutant'
EXPECT_MESSAGE = "source 001's bug"
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    d_h1 = (d_o1 * w["w5"] + d_o2 * w["w6"]) * h1 * (1 - h1)\n    d_h2 = (d_o1 * w["w7"] + d_o2 * w["w8"]) * h2 * (1 - h2)\n',
     '    d_h1 = (d_o1 * h1 + d_o2 * h1) * h1 * (1 - h1)\n    d_h2 = (d_o1 * h2 + d_o2 * h2) * h2 * (1 - h2)\n'),
]
