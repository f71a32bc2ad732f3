"""Returns a list of eight numbers instead of the dict."""
NOTEBOOK = '02_net222.ipynb'
EXERCISE = 'net222-gradients'
KIND = 'misbehaviour'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = 'should return a dict'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    return {"w1": d_h1 * x1, "w2": d_h2 * x1, "w3": d_h1 * x2, "w4": d_h2 * x2,\n            "w5": d_o1 * h1, "w6": d_o2 * h1, "w7": d_o1 * h2, "w8": d_o2 * h2}\n',
     '    return [d_h1 * x1, d_h2 * x1, d_h1 * x2, d_h2 * x2, d_o1 * h1, d_o2 * h1, d_o1 * h2, d_o2 * h2]\n'),
]
