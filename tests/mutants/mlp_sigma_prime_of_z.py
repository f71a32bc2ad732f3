"""σ'(z) computed as z(1 - z): the a(1 - a) form applied to z (source 004's form, misused)."""
NOTEBOOK = '04_whole_network.ipynb'
EXERCISE = 'mlp-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'disagree'
SOLUTION = '''\
def mlp_backward(weights, cache, Y):
    L = len(weights)
    A = cache.a[-1]
    dW, db = [None] * L, [None] * L
    delta = 2.0 * (A - Y) / A.size
    for l in range(L - 1, -1, -1):
        dW[l] = delta @ cache.a[l].T
        db[l] = delta.sum(axis=1, keepdims=True)
        if l > 0:
            z = cache.z[l - 1]
            delta = (weights[l].T @ delta) * z * (1 - z)
    return dW, db
'''
