"""db summed without keepdims: shape (n_out,) not (n_out, 1)."""
NOTEBOOK = '03_dense_layer.ipynb'
EXERCISE = 'dense-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'keepdims'
SOLUTION = '''\
def dense_backward(dA, cache, W):
    a_prev, z = cache
    dZ = dA * bp.sigmoid_prime(z)
    return dZ @ a_prev.T, dZ.sum(axis=1), W.T @ dZ
'''
