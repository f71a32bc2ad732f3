"""A per-sample loop that writes `=` where `+=` belongs: only the last sample counts."""
NOTEBOOK = '04_whole_network.ipynb'
EXERCISE = 'mlp-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'disagree'
SOLUTION = '''\
def mlp_backward(weights, cache, Y):
    L = len(weights)
    A = cache.a[-1]
    dW, db = [None] * L, [None] * L
    m = A.shape[1]
    dW = [np.zeros_like(W) for W in weights]
    db = [np.zeros((W.shape[0], 1)) for W in weights]
    for i in range(m):
        a = [ai[:, i:i + 1] for ai in cache.a]
        delta = 2.0 * (a[-1] - Y[:, i:i + 1]) / A.size
        for l in range(L - 1, -1, -1):
            dW[l] = delta @ a[l].T
            db[l] = delta
            if l > 0:
                delta = (weights[l].T @ delta) * a[l] * (1 - a[l])
    return dW, db
'''
