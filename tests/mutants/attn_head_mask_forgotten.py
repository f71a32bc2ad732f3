"""The causal mask forgotten when the backward recomputes P."""
NOTEBOOK = '12_attention.ipynb'
EXERCISE = 'attention-head-backward'
KIND = 'mutant'
EXPECT_MESSAGE = 'the causal mask is missing'
EDITS = [   # (text of the reference solution, what the mutant has instead)
    ('np.exp(np.where(mask, S, -np.inf) - S.max(axis=1, keepdims=True))',
     'np.exp(S - S.max(axis=1, keepdims=True))'),
]
