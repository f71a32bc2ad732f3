"""Never stops early: always max_epochs updates."""
NOTEBOOK = '06_training.ipynb'
EXERCISE = 'fix-perceptron-stopping'
KIND = 'mutant'
EXPECT_MESSAGE = 'stopped after'
SOLUTION = '''\
def train_perceptron(X, t, *, w0, b0, lr, max_epochs):
    w, b = np.array(w0, dtype=float).reshape(1, -1), float(b0)
    m = X.shape[1]
    for epoch in range(max_epochs):
        y = (w @ X + b > 0).astype(float)
        w = w + lr * (t - y) @ X.T / m
        b = b + lr * float(np.sum(t - y)) / m
    y = (w @ X + b > 0).astype(float)
    return w, b, max_epochs, bool(np.array_equal(y, t))
'''
