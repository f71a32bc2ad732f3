"""A forward pass that divides by zero."""
NOTEBOOK = '03_dense_layer.ipynb'
EXERCISE = 'dense-forward'
KIND = 'misbehaviour'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = 'raised ZeroDivisionError'
SOLUTION = '''\
def dense_forward(a_prev, W, b):
    return 1 // 0
'''
