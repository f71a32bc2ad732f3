"""dZ = dA: the activation derivative σ'(z) is missing."""
NOTEBOOK = '03_dense_layer.ipynb'
EXERCISE = 'dense-backward'
KIND = 'mutant'
EXPECT_MESSAGE = "σ'(z) is missing"
SOLUTION = '''\
def dense_backward(dA, cache, W):
    a_prev, z = cache
    dZ = dA
    return dZ @ a_prev.T, dZ.sum(axis=1, keepdims=True), W.T @ dZ
'''
