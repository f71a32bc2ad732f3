"""Source 000's forward: every hidden layer reads the input X."""
NOTEBOOK = '04_whole_network.ipynb'
EXERCISE = 'fix-sine-forward'
KIND = 'mutant'
EXPECT_MESSAGE = 'forward(...) raised ValueError'
SOLUTION = '''\
def forward(weights, biases, X):
    a, z = [X], []
    for l in range(len(weights) - 1):
        z.append(weights[l] @ X + biases[l])
        a.append(bp.sigmoid(z[-1]))
    z.append(weights[-1] @ a[-1] + biases[-1])
    a.append(z[-1])
    return a[-1], bp.Cache(a=a, z=z)
'''
