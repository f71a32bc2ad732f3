"""Central difference divided by h instead of 2h."""
NOTEBOOK = '05_gradient_check.ipynb'
EXERCISE = 'central-difference'
KIND = 'mutant'
EXPECT_MESSAGE = 'factor 2'
SOLUTION = '''\
def numerical_gradient(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        plus = f()
        x[i] = old - h
        minus = f()
        x[i] = old
        grad[i] = (plus - minus) / h
    return grad
'''
