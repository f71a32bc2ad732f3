"""Returns a as a nested Python list."""
NOTEBOOK = '03_dense_layer.ipynb'
EXERCISE = 'dense-forward'
KIND = 'misbehaviour'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = 'should be a numpy array'
SOLUTION = '''\
def dense_forward(a_prev, W, b):
    z = W @ a_prev + b
    return bp.sigmoid(z).tolist(), (a_prev, z)
'''
