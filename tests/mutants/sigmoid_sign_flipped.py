"""Source 003's sigmoid: 1/(1 + exp(+z)) = σ(-z) (stable, but the wrong sign)."""
NOTEBOOK = '01_sigmoid.ipynb'
EXERCISE = 'stable-sigmoid'
KIND = 'mutant'
EXPECT_MESSAGE = 'sign of the exponent is flipped'
SOLUTION = '''\
def sigmoid(z):
    z = -np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_prime(z):
    s = sigmoid(z)
    return s * (1.0 - s)
'''
