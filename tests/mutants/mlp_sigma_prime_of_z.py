"""σ'(z) computed as z(1 - z): the a(1 - a) form applied to z (source 004's form, misused)."""
NOTEBOOK = '04_whole_network.ipynb'
EXERCISE = 'mlp-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'disagree'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('            a = cache.a[l]\n            delta = (weights[l].T @ delta) * a * (1 - a)\n',
     '            z = cache.z[l - 1]\n            delta = (weights[l].T @ delta) * z * (1 - z)\n'),
]
