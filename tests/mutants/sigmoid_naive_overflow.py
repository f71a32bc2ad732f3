"""The textbook formula: np.exp(-z) overflows at z = -1000."""
NOTEBOOK = '01_sigmoid.ipynb'
EXERCISE = 'stable-sigmoid'
KIND = 'mutant'
EXPECT_MESSAGE = 'not stable'
SOLUTION = '''\
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


def sigmoid_prime(z):
    s = sigmoid(z)
    return s * (1.0 - s)
'''
