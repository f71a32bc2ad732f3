"""Max-pool backward sends the gradient to every tied maximum."""
NOTEBOOK = '10_convolution.ipynb'
EXERCISE = 'maxpool-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'every maximum'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('            k = window.argmax(axis=2)                # the first maximum, row-major\n            p, q = 2 * i + k // 2, 2 * j + k % 2\n            n, c = np.meshgrid(np.arange(N), np.arange(C), indexing="ij")\n            dx[n, c, p, q] += dy[:, :, i, j]\n',
     '            mask = window == window.max(axis=2, keepdims=True)\n            routed = mask * dy[:, :, i, j][:, :, None]\n            dx[:, :, 2 * i:2 * i + 2, 2 * j:2 * j + 2] += routed.reshape(N, C, 2, 2)\n'),
]
