"""The gradient sent back through the outer W uses W, not its transpose."""
NOTEBOOK = '07_shapes_softmax.ipynb'
EXERCISE = 'fan-out-backward'
KIND = 'mutant'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('dz = (W.T @ dY)',
     'dz = (W @ dY)'),
]
