"""Source 003's sigmoid 1/(1 + exp(z)), the slicing fixed."""
NOTEBOOK = '04_whole_network.ipynb'
EXERCISE = 'fix-nielsen-backprop'
KIND = 'mutant'
EXPECT_MESSAGE = "source 003's bug"
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    return 1.0 / (1.0 + np.exp(-z))\n',
     '    return 1.0 / (1.0 + np.exp(z))\n'),
]
