import torch
import torch.nn.functional as F
import torch.nn as nn
x=torch.arange(48.).reshape(2,3,8).requires_grad_()
for o in [1,4,3]:
    y=F.adaptive_avg_pool1d(x,o); print(y, y.grad_fn.name(), y.grad_fn.next_functions[0][0].name())
print(nn.AdaptiveAvgPool1d(2)(x[0]))
