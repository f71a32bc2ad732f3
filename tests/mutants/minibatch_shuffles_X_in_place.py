"""Shuffles the data set in place."""
NOTEBOOK = '06_training.ipynb'
EXERCISE = 'minibatch-gd'
KIND = 'misbehaviour'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = 'changed its input `X` in place'
SOLUTION = '''\
def minibatch_gd(net, X, Y, *, lr, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    m = X.shape[1]
    losses = []
    for epoch in range(epochs):
        order = rng.permutation(m) if batch_size < m else np.arange(m)
        X[:], Y[:] = X[:, order], Y[:, order]
        for start in range(0, m, batch_size):
            batch = slice(start, start + batch_size)
            loss, dW, db = net.gradients(X[:, batch], Y[:, batch])
            losses.append(loss)
            for W, b, gW, gb in zip(net.weights, net.biases, dW, db):
                W -= lr * gW
                b -= lr * gb
    return losses
'''
