"""A sigmoid that clips its argument in place."""
NOTEBOOK = '01_sigmoid.ipynb'
EXERCISE = 'stable-sigmoid'
KIND = 'misbehaviour'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = 'changed its input `z` in place'
SOLUTION = '''\
def sigmoid(z):
    if isinstance(z, np.ndarray):
        np.clip(z, -1.0, 1.0, out=z)
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_prime(z):
    s = sigmoid(z)
    return s * (1.0 - s)
'''
