"""Source 001's backward pass handed in unchanged."""
NOTEBOOK = '02_net222.ipynb'
EXERCISE = 'fix-222-hidden'
KIND = 'mutant'
EXPECT_MESSAGE = "source 001's bug"
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    delta_o1 = (o1 - y1) * o1 * (1 - o1)\n    delta_o2 = (o2 - y2) * o2 * (1 - o2)\n    d_w5, d_w7 = delta_o1 * h1, delta_o1 * h2\n    d_w6, d_w8 = delta_o2 * h1, delta_o2 * h2\n    back_h1 = delta_o1 * w["w5"] + delta_o2 * w["w6"]      # deltas times the weights\n    back_h2 = delta_o1 * w["w7"] + delta_o2 * w["w8"]\n    d_w1 = back_h1 * h1 * (1 - h1) * x1\n    d_w3 = back_h1 * h1 * (1 - h1) * x2\n    d_w2 = back_h2 * h2 * (1 - h2) * x1\n    d_w4 = back_h2 * h2 * (1 - h2) * x2\n',
     '    d_w5 = (o1 - y1) * o1 * (1 - o1) * h1\n    d_w7 = (o1 - y1) * o1 * (1 - o1) * h2\n    d_w6 = (o2 - y2) * o2 * (1 - o2) * h1\n    d_w8 = (o2 - y2) * o2 * (1 - o2) * h2\n    d_w1 = (d_w5 + d_w6) * h1 * (1 - h1) * x1\n    d_w3 = (d_w5 + d_w6) * h1 * (1 - h1) * x2\n    d_w2 = (d_w7 + d_w8) * h2 * (1 - h2) * x1\n    d_w4 = (d_w7 + d_w8) * h2 * (1 - h2) * x2\n'),
]
