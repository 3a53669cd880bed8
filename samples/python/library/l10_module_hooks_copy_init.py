import copy
import torch
import torch.nn as nn
torch.manual_seed(0)
class Scale(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.tensor([2.0, 3.0]))
    def forward(self, x):
        return x * self.w
m = Scale()
seen = []
def fhook(mod, inp, out):
    seen.append((type(mod).__name__, inp[0].shape, out.detach()))
def phook(mod, inp):
    return (inp[0] + 1,)
h1 = m.register_forward_hook(fhook)
h2 = m.register_forward_pre_hook(phook)
y = m(torch.ones(2))
print(y, seen)
h1.remove(); h2.remove()
print(m(torch.ones(2)))
m2 = copy.deepcopy(m)
m2.w.data.fill_(5.0)
print(m.w, m2.w)
print(m.state_dict())
y = m(torch.ones(2)).sum()
y.backward()
print(m.w.grad)
m.zero_grad()
print(m.w.grad)
def init_fn(mod):
    if isinstance(mod, nn.Linear):
        nn.init.constant_(mod.weight, 0.5)
        nn.init.zeros_(mod.bias)
net = nn.Sequential(nn.Linear(2, 2), nn.Sigmoid())
net.apply(init_fn)
print(net[0].weight, net[0].bias)
print(net.state_dict())
frozen = net.requires_grad_(False)
print(all(not p.requires_grad for p in net.parameters()))
print(nn.Parameter(torch.ones(2)).requires_grad, nn.Parameter(torch.ones(2), requires_grad=False))
p = nn.Parameter(torch.ones(2))
print((p * 2).grad_fn.name(), type(p * 2).__name__, type(p).__name__)
print(nn.utils.parameters_to_vector(net.parameters()))
