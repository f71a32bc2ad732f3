"""A solution cell that does not parse."""
NOTEBOOK = '01_sigmoid.ipynb'
EXERCISE = 'stable-sigmoid'
KIND = 'misbehaviour'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = 'SyntaxError'
SOLUTION = '''\
def sigmoid(z)
    return 1 / (1 + np.exp(-z))
'''
