"""A sigmoid on the output layer too (the sine net's output is linear)."""
NOTEBOOK = '04_whole_network.ipynb'
EXERCISE = 'fix-sine-forward'
KIND = 'mutant'
EXPECT_MESSAGE = 'must stay linear'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    L = len(weights)\n    for l, (W, b) in enumerate(zip(weights, biases)):\n',
     '    for W, b in zip(weights, biases):\n'),
    ('        a.append(z[-1] if l == L - 1 else bp.sigmoid(z[-1]))\n',
     '        a.append(bp.sigmoid(z[-1]))\n'),
]
