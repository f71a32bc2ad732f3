"""δ passed back through Wᵀ without σ'(z)."""
NOTEBOOK = '04_whole_network.ipynb'
EXERCISE = 'mlp-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'output layer is right'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('            a = cache.a[l]\n            delta = (weights[l].T @ delta) * a * (1 - a)\n',
     '            delta = weights[l].T @ delta\n'),
]
