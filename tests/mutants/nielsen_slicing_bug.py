"""Source 003's sigmoid_prime(zs[:-1]), the sign fixed."""
NOTEBOOK = '04_whole_network.ipynb'
EXERCISE = 'fix-nielsen-backprop'
KIND = 'mutant'
EXPECT_MESSAGE = 'backprop'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    delta = (activations[-1] - y) * sigmoid_prime(zs[-1])\n',
     '    delta = (activations[-1] - y) * sigmoid_prime(np.array(zs[:-1]))\n'),
]
