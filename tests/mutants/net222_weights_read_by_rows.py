"""w1..w8 read row by row (w1, w2 into the first hidden unit), against the task's layout."""
NOTEBOOK = '02_net222.ipynb'
EXERCISE = 'net222-gradients'
KIND = 'mutant'
EXPECT_STATUS = 'failed'
EXPECT_MESSAGE = 'read row by row'
SOLUTION = '''\
def gradients_222(x, y, w):
    x1, x2 = float(x[0, 0]), float(x[1, 0])
    y1, y2 = float(y[0, 0]), float(y[1, 0])
    h1 = 1 / (1 + np.exp(-(w["w1"] * x1 + w["w2"] * x2)))
    h2 = 1 / (1 + np.exp(-(w["w3"] * x1 + w["w4"] * x2)))
    o1 = 1 / (1 + np.exp(-(w["w5"] * h1 + w["w6"] * h2)))
    o2 = 1 / (1 + np.exp(-(w["w7"] * h1 + w["w8"] * h2)))
    d_o1 = (o1 - y1) * o1 * (1 - o1)
    d_o2 = (o2 - y2) * o2 * (1 - o2)
    d_h1 = (d_o1 * w["w5"] + d_o2 * w["w7"]) * h1 * (1 - h1)
    d_h2 = (d_o1 * w["w6"] + d_o2 * w["w8"]) * h2 * (1 - h2)
    return {"w1": d_h1 * x1, "w2": d_h1 * x2, "w3": d_h2 * x1, "w4": d_h2 * x2,
            "w5": d_o1 * h1, "w6": d_o1 * h2, "w7": d_o2 * h1, "w8": d_o2 * h2}
'''
