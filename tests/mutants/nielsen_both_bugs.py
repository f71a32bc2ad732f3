"""Source 003's backprop as reposted: both bugs."""
NOTEBOOK = '04_whole_network.ipynb'
EXERCISE = 'fix-nielsen-backprop'
KIND = 'mutant'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    return 1.0 / (1.0 + np.exp(-z))\n',
     '    return 1.0 / (1.0 + np.exp(z))\n'),
    ('    delta = (activations[-1] - y) * sigmoid_prime(zs[-1])\n',
     '    delta = (activations[-1] - y) * sigmoid_prime(np.array(zs[:-1]))\n'),
]
