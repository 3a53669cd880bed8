# ruff: noqa
import copy, torch, torch.nn as nn
a=torch.ones(2,requires_grad=True); a.sum().backward(); b=copy.deepcopy(a); print(b.grad, b.requires_grad)
p=nn.Parameter(torch.ones(2)); (p*2).sum().backward(); q=copy.deepcopy(p); print(q.grad, q)
p2=nn.Parameter(torch.ones(2), requires_grad=False); print(copy.deepcopy(p2))
m=nn.Linear(2,2); m.weight.requires_grad_(False); print(copy.deepcopy(m).weight.requires_grad)
l=nn.Linear(2,2); s=nn.Sequential(l,l); s2=copy.deepcopy(s); print(s2[0] is s2[1], s2[0] is l)
class Tied(nn.Module):
    def __init__(self):
        super().__init__(); self.a=nn.Linear(2,2); self.b=nn.Linear(2,2); self.b.weight=self.a.weight
t=copy.deepcopy(Tied()); print(t.a.weight is t.b.weight, len(list(t.parameters())))
import torch.optim as optim
opt=optim.SGD(m.parameters(), lr=0.1, momentum=0.9)
m.weight.requires_grad_(True)
m(torch.ones(1,2)).sum().backward(); opt.step()
sd=copy.deepcopy(opt.state_dict()); print(sd)
o2=copy.deepcopy(opt); print(o2.param_groups[0]['params'][0] is m.weight, o2)
c = copy.copy(m); print(c is m, c.weight is m.weight, c._parameters is m._parameters)
h = m.register_forward_hook(lambda mod, i, o: print("hook", type(mod).__name__))
m3 = copy.deepcopy(m); m3(torch.ones(1,2)); print(len(m3._forward_hooks))
