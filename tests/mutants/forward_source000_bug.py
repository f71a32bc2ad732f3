"""Source 000's forward: every hidden layer reads the input X."""
NOTEBOOK = '04_whole_network.ipynb'
EXERCISE = 'fix-sine-forward'
KIND = 'mutant'
EXPECT_MESSAGE = 'forward(...) raised ValueError'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    L = len(weights)\n    for l, (W, b) in enumerate(zip(weights, biases)):\n        z.append(W @ a[-1] + b)\n        a.append(z[-1] if l == L - 1 else bp.sigmoid(z[-1]))\n',
     '    for l in range(len(weights) - 1):\n        z.append(weights[l] @ X + biases[l])\n        a.append(bp.sigmoid(z[-1]))\n    z.append(weights[-1] @ a[-1] + biases[-1])\n    a.append(z[-1])\n'),
]
