"""The cache keeps a = σ(z) where z belongs."""
NOTEBOOK = '03_dense_layer.ipynb'
EXERCISE = 'dense-forward'
KIND = 'mutant'
EXPECT_MESSAGE = 'the backward pass needs z'
SOLUTION = '''\
def dense_forward(a_prev, W, b):
    z = W @ a_prev + b
    a = bp.sigmoid(z)
    return a, (a_prev, a)
'''
