"""A right answer that prints 200 000 characters per call."""
NOTEBOOK = '01_sigmoid.ipynb'
EXERCISE = 'stable-sigmoid'
KIND = 'misbehaviour'
EXPECT_STATUS = 'passed'
EXPECT_MESSAGE = 'characters'
SOLUTION = '''\
def sigmoid(z):
    print("debug " * 40_000)
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_prime(z):
    s = sigmoid(z)
    return s * (1.0 - s)
'''
