"""σ'(z) written e⁻ᶻ/(1 + e⁻ᶻ): the square of the denominator forgotten."""
NOTEBOOK = '01_sigmoid.ipynb'
EXERCISE = 'stable-sigmoid'
KIND = 'mutant'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = 'denominator must be squared'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('    s = sigmoid(z)\n    return s * (1.0 - s)\n',
     '    z = np.asarray(z, dtype=float)\n    return np.exp(-z) / (1.0 + np.exp(-z))\n'),
]
