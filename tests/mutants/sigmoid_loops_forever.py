"""A solution cell that never finishes (top-level endless loop)."""
NOTEBOOK = '01_sigmoid.ipynb'
EXERCISE = 'stable-sigmoid'
KIND = 'misbehaviour'
EXPECT_STATUS = 'timed out'
EXPECT_MESSAGE = 'time limit'
SOLUTION = '''\
while True:
    pass
'''
