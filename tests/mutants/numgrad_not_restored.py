"""Each entry is left at x - h."""
NOTEBOOK = '05_gradient_check.ipynb'
EXERCISE = 'central-difference'
KIND = 'mutant'
EXPECT_MESSAGE = 'left x changed'
SOLUTION = '''\
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        plus = f()
        x[i] = old - h
        minus = f()
        grad[i] = (plus - minus) / (2 * h)
    return grad
'''
