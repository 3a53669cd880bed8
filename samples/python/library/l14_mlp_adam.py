import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(0)
X = torch.randn(64, 4)
true_w = torch.tensor([[1.5], [-2.0], [0.5], [1.0]])
y = X @ true_w + 0.1 * torch.randn(64, 1)
class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 1))
    def forward(self, x):
        return self.net(x)
model = MLP()
opt = torch.optim.Adam(model.parameters(), lr=0.01)
loss_fn = nn.MSELoss()
for step in range(101):
    opt.zero_grad()
    loss = loss_fn(model(X), y)
    loss.backward()
    opt.step()
    if step % 20 == 0:
        print(f"step {step:3d} loss {loss.item():.6f}")
print(model.net[0].weight[:2])
print(model(X[:3]))
c = nn.CrossEntropyLoss()
logits = torch.randn(5, 3, requires_grad=True)
t = torch.tensor([0, 2, 1, 1, 0])
l = c(logits, t); l.backward(); print(l, logits.grad)
d = nn.Dropout(0.5); print(d(torch.ones(8)))
