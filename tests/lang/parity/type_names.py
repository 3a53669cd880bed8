# ruff: noqa
import torch, torch.nn as nn, torch.optim as optim
t = torch.tensor([[1.,2.],[3.,4.]], requires_grad=True)
m = nn.Linear(1,1)
for x in [m, nn.ReLU(), optim.Adam(m.parameters()), torch.Size([1]), t.max(0), print, lambda:0, t, 1, nn.Sequential(), nn.Conv2d(1,1,1), optim.lr_scheduler.StepLR(optim.SGD(m.parameters(), lr=0.1), 2), torch.float32, torch.device('cpu'), nn.Parameter(torch.ones(1)), m.parameters(), range(2), None, [].append, m.forward, torch.nn.functional.relu, torch.relu, torch.utils.data.TensorDataset(t), torch.Generator()]:
    print(type(x), type(x).__name__, x.__class__.__name__)
y = t * 2
print(y.grad_fn.__class__.__name__, type(y.grad_fn))
print(type(m).__name__, type(nn.MSELoss()))
class Net(nn.Module):
    pass
print(type(Net()), Net().__class__, Net.__name__)
import torch
def f(): pass
print(type(print), type(len), type(f), type(lambda: 0), type(torch.relu), type(sorted), type(max))
print(print.__class__, (lambda: 0).__class__, f.__class__, torch.ones(1).__class__, torch.nn.functional.relu.__class__)
import torch, torch.nn as nn
print(torch.Tensor, nn.Parameter, torch.Size, torch.no_grad, torch.utils.data.DataLoader, torch.distributions.Normal, torch.optim.lr_scheduler.StepLR)
print(type(torch.distributions.Normal(0., 1.)), type(torch.no_grad()), type(torch.utils.data.DataLoader([1,2])))
m = nn.Linear(2, 2)
print(type(m.load_state_dict(m.state_dict())), type(torch.ones(3).sort()), type(torch.linalg.qr(torch.eye(2))))
print(type(m.forward), type(m.parameters), type(torch.ones(1).add), type(nn.functional.relu), type(torch.sigmoid))
print(type(m).__name__, type(m).__qualname__, m.__class__.__name__)
class Net(nn.Module):
    pass
n = Net()
print(type(n), type(n).__name__, n.__class__.__name__, type(Net))
y = (torch.ones(2, requires_grad=True) * 2).sum()
print(y.grad_fn.__class__.__name__, type(y.grad_fn).__name__, y.grad_fn.next_functions[0][0].__class__.__name__)
print(isinstance(m, type(m)), type(m) is nn.Linear, type(m) == nn.Linear, issubclass(type(m), nn.Module))
print([type(v).__name__ for v in [1, 1.0, "s", [], {}, (), None, True, torch.float32, m.weight]])
print(type(m).__qualname__)
