import numpy as np
import torch
n = np.ones(5)
t = torch.from_numpy(n)
np.add(n, 1, out=n)
print(t, n)
n += 1
print(t, n)
n[0] = 7
print(t)
t.add_(1)
print(n)
m = np.zeros(3, dtype=np.float32)
np.exp(m, out=m)
print(m)
