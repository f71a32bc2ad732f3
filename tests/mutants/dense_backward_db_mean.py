"""db averaged over the batch: an extra 1/m."""
NOTEBOOK = '03_dense_layer.ipynb'
EXERCISE = 'dense-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'db'
SOLUTION = '''\
def dense_backward(dA, cache, W):
    a_prev, z = cache
    dZ = dA * bp.sigmoid_prime(z)
    return dZ @ a_prev.T, dZ.mean(axis=1, keepdims=True), W.T @ dZ
'''
