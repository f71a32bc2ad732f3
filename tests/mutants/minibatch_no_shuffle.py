"""Batches always in the original order."""
NOTEBOOK = '06_training.ipynb'
EXERCISE = 'minibatch-gd'
KIND = 'mutant'
EXPECT_MESSAGE = 'never shuffled'
SOLUTION = '''\
def minibatch_gd(net, X, Y, *, lr, epochs, batch_size, seed):
    rng = np.random.default_rng(seed)
    m = X.shape[1]
    losses = []
    for epoch in range(epochs):
        order = np.arange(m)
        for start in range(0, m, batch_size):
            idx = order[start:start + batch_size]
            loss, dW, db = net.gradients(X[:, idx], Y[:, idx])
            losses.append(loss)
            for W, b, gW, gb in zip(net.weights, net.biases, dW, db):
                W -= lr * gW
                b -= lr * gb
    return losses
'''
