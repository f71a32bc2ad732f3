"""Source 002's rule: loop until every point is right, which never happens on XOR."""
NOTEBOOK = '06_training.ipynb'
EXERCISE = 'fix-perceptron-stopping'
KIND = 'mutant'
EXPECT_STATUS = 'timed out'
EXPECT_MESSAGE = 'did not return within'
SOLUTION = '''\
def train_perceptron(X, t, *, w0, b0, lr, max_epochs):
    w, b = np.array(w0, dtype=float).reshape(1, -1), float(b0)
    m = X.shape[1]
    epoch = 0
    while not np.array_equal((w @ X + b > 0).astype(float), t):
        y = (w @ X + b > 0).astype(float)
        w = w + lr * (t - y) @ X.T / m
        b = b + lr * float(np.sum(t - y)) / m
        epoch += 1
    return w, b, epoch, True
'''
