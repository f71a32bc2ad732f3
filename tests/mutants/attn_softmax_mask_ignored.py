"""The mask is ignored: masked entries take part in the softmax."""
NOTEBOOK = '12_attention.ipynb'
EXERCISE = 'masked-softmax-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'the mask is ignored'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('        S = np.where(mask, S, -np.inf)          # masked entries: exp(-inf) = 0\n',
     '        pass\n'),
]
