"""A one-sided difference (f(x + h) - f(x)) / h: error O(h)."""
NOTEBOOK = '05_gradient_check.ipynb'
EXERCISE = 'central-difference'
KIND = 'mutant'
EXPECT_MESSAGE = 'one-sided'
SOLUTION = '''\
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    f0 = f()
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        grad[i] = (f() - f0) / h
        x[i] = old
    return grad
'''
