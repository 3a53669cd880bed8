import torch
torch.manual_seed(0)
import torch.nn as nn
m=nn.Bilinear(2,3,4); a=torch.randn(5,2,requires_grad=True); b=torch.randn(5,3)
y=m(a,b); print(m, y); y.sum().backward(); print(a.grad, m.weight.grad[0])
print(m(a[0],b[0]))
