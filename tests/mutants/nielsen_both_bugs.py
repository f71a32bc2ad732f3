"""Source 003's backprop as reposted: both bugs."""
NOTEBOOK = '04_whole_network.ipynb'
EXERCISE = 'fix-nielsen-backprop'
KIND = 'mutant'
SOLUTION = '''\
def sigmoid(z):
    return 1.0 / (1.0 + np.exp(z))


def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


def backprop(weights, biases, x, y):
    nabla_b = [np.zeros(b.shape) for b in biases]
    nabla_w = [np.zeros(W.shape) for W in weights]
    activation, activations, zs = x, [x], []
    for b, W in zip(biases, weights):
        z = W @ activation + b
        zs.append(z)
        activation = sigmoid(z)
        activations.append(activation)
    delta = (activations[-1] - y) * sigmoid_prime(np.array(zs[:-1]))
    nabla_b[-1] = delta
    nabla_w[-1] = delta @ activations[-2].T
    for l in range(2, len(weights) + 1):
        delta = (weights[-l + 1].T @ delta) * sigmoid_prime(zs[-l])
        nabla_b[-l] = delta
        nabla_w[-l] = delta @ activations[-l - 1].T
    return nabla_b, nabla_w
'''
