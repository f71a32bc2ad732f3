"""Source 001's backward pass handed in unchanged."""
NOTEBOOK = '02_net222.ipynb'
EXERCISE = 'fix-222-hidden'
KIND = 'mutant'
EXPECT_MESSAGE = "source 001's bug"
SOLUTION = '''\
def backprop_222(x, y, w):
    x1, x2 = float(x[0, 0]), float(x[1, 0])
    y1, y2 = float(y[0, 0]), float(y[1, 0])
    h1 = 1 / (1 + np.exp(-(w["w1"] * x1 + w["w3"] * x2)))
    h2 = 1 / (1 + np.exp(-(w["w2"] * x1 + w["w4"] * x2)))
    o1 = 1 / (1 + np.exp(-(w["w5"] * h1 + w["w7"] * h2)))
    o2 = 1 / (1 + np.exp(-(w["w6"] * h1 + w["w8"] * h2)))
    d_w5 = (o1 - y1) * o1 * (1 - o1) * h1
    d_w7 = (o1 - y1) * o1 * (1 - o1) * h2
    d_w6 = (o2 - y2) * o2 * (1 - o2) * h1
    d_w8 = (o2 - y2) * o2 * (1 - o2) * h2
    d_w1 = (d_w5 + d_w6) * h1 * (1 - h1) * x1
    d_w3 = (d_w5 + d_w6) * h1 * (1 - h1) * x2
    d_w2 = (d_w7 + d_w8) * h2 * (1 - h2) * x1
    d_w4 = (d_w7 + d_w8) * h2 * (1 - h2) * x2
    return {"w1": d_w1, "w2": d_w2, "w3": d_w3, "w4": d_w4,
            "w5": d_w5, "w6": d_w6, "w7": d_w7, "w8": d_w8}
'''
