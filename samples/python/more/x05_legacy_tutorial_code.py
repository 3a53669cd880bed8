# Code copied from a 2017-2019 era tutorial: Variable, the non-underscore init and
# clipping functions, torch.range, F.upsample, size_average, implicit softmax dims.
# We record the warnings and print where each came from, as a student comparing
# versions would.
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.autograd import Variable

torch.manual_seed(0)


def show(caught):
    for w in caught:
        where = w.filename.replace("\\", "/").split("/")[-1]
        print(f"  {w.category.__name__} from {where}: {str(w.message)[:70]}")


with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    x = Variable(torch.randn(4, 3), requires_grad=True)
    print("Variable is a Tensor:", type(x).__name__, x.requires_grad)
    steps = torch.range(0, 1, 0.25)
    print("range (inclusive):", steps)
show(caught)

net = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 2))
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    nn.init.xavier_uniform(net[0].weight)
    nn.init.constant(net[0].bias, 0.1)
    print("bias after constant:", net[0].bias.data)
show(caught)

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    criterion = nn.MSELoss(size_average=False)
    print("reduction:", criterion.reduction)
    out = net(x)
    loss = criterion(out, torch.zeros(4, 2))
    loss.backward()
    norm = nn.utils.clip_grad_norm(net.parameters(), 0.5)
    print(f"grad norm before clipping: {norm:.4f}")
show(caught)

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    probs = nn.Softmax()(out)
    print("implicit dim softmax rows sum to 1:", torch.allclose(probs.sum(1), torch.ones(4)))
    up = F.upsample(torch.arange(4.0).view(1, 1, 4), scale_factor=2, mode="nearest")
    print("upsample:", up)
    gx, gy = torch.meshgrid(torch.arange(2), torch.arange(3))
    print("meshgrid:", gx.shape, gy.tolist())
    drop = nn.Dropout2d(0.5)
    print("dropout2d on 2-D input:", drop(torch.ones(2, 3)).shape)
    gru = nn.GRU(3, 4, num_layers=1, dropout=0.2)
    print(gru)
show(caught)

# .data was the way to update weights by hand
with torch.no_grad():
    before = net[2].weight.data.clone()
for p in net.parameters():
    p.data.add_(p.grad.data, alpha=-0.1)
print("updated:", not torch.equal(before, net[2].weight.data))
print(f"sigmoid: {F.sigmoid(torch.tensor(0.5)).item():.4f}  tanh: {F.tanh(torch.tensor(0.5)).item():.4f}")
