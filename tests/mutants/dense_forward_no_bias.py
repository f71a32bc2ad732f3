"""The bias b is never added."""
NOTEBOOK = '03_dense_layer.ipynb'
EXERCISE = 'dense-forward'
KIND = 'mutant'
EXPECT_MESSAGE = 'bias b is missing'
SOLUTION = '''\
def dense_forward(a_prev, W, b):
    z = W @ a_prev
    return bp.sigmoid(z), (a_prev, z)
'''
