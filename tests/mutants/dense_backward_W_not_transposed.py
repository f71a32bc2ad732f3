"""dA_prev = W dZ: W not transposed."""
NOTEBOOK = '03_dense_layer.ipynb'
EXERCISE = 'dense-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'dense_backward(...) raised ValueError'
SOLUTION = '''\
def dense_backward(dA, cache, W):
    a_prev, z = cache
    dZ = dA * bp.sigmoid_prime(z)
    return dZ @ a_prev.T, dZ.sum(axis=1, keepdims=True), W @ dZ
'''
