def scaled(x, a):
    return x + a
