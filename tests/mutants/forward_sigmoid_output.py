"""A sigmoid on the output layer too (the sine net's output is linear)."""
NOTEBOOK = '04_whole_network.ipynb'
EXERCISE = 'fix-sine-forward'
KIND = 'mutant'
EXPECT_MESSAGE = 'must stay linear'
SOLUTION = '''\
def forward(weights, biases, X):
    a, z = [X], []
    for W, b in zip(weights, biases):
        z.append(W @ a[-1] + b)
        a.append(bp.sigmoid(z[-1]))
    return a[-1], bp.Cache(a=a, z=z)
'''
