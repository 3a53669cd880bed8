# ruff: noqa
import copy
import torch
import torch.nn as nn

torch.manual_seed(0)
net = nn.Linear(2, 2)
c = copy.deepcopy(net)
c.weight.data.zero_()
print(net.weight.abs().sum() > 0)


class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
        self.head = nn.Linear(3, 1)
        self.register_buffer("cnt", torch.zeros(1))
        self.tag = [1, 2]
        self.refs = [self]
        self.calls = 0
        self.act = self.double_it

    def double_it(self, x):
        self.calls += 1
        return 2 * x

    def forward(self, x):
        return self.act(self.head(self.body(x)))


m = M()
m2 = copy.deepcopy(m)
print(m2.head.weight is m.head.weight, m2.tag is m.tag, m2.tag == m.tag, m2.cnt is m.cnt)
print(m2.refs[0] is m2)
m2(torch.ones(1, 2))
print(m.calls, m2.calls)
print(type(m2).__name__, m2)
x = torch.randn(4, 2)
y = x.sum(1, keepdim=True)
opt = torch.optim.SGD(m.parameters(), lr=0.05)
best, best_loss, bad = None, float("inf"), 0
for epoch in range(30):
    opt.zero_grad()
    loss = ((m(x) - y) ** 2).mean()
    loss.backward()
    opt.step()
    if loss.item() < best_loss - 1e-4:
        best_loss, best, bad = loss.item(), copy.deepcopy(m), 0
    else:
        bad += 1
print(round(best_loss, 4), best.head.weight.grad, m.head.weight.grad is not None)
print(torch.equal(best.head.bias, m.head.bias))
s = copy.copy(m)
print(s is m, s.head is m.head, s.tag is m.tag)
items = copy.deepcopy([m, m.head, (m.head.weight, m.head.weight)])
print(items[0].head is items[1], items[2][0] is items[1].weight, items[2][1] is items[2][0])
