"""A sigmoid that raises."""
NOTEBOOK = '01_sigmoid.ipynb'
EXERCISE = 'stable-sigmoid'
KIND = 'misbehaviour'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = 'raised ValueError: I give up'
SOLUTION = '''\
def sigmoid(z):
    raise ValueError("I give up")


def sigmoid_prime(z):
    return 0.25
'''
