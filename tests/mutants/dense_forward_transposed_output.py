"""Returns a transposed (samples as rows)."""
NOTEBOOK = '03_dense_layer.ipynb'
EXERCISE = 'dense-forward'
KIND = 'misbehaviour'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = 'transposed?'
SOLUTION = '''\
def dense_forward(a_prev, W, b):
    z = W @ a_prev + b
    return bp.sigmoid(z).T, (a_prev, z)
'''
