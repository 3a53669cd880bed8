"""A small MLP with tanh and ReLU trained with Adam; loss printed each step."""
import torch
import torch.nn as nn

torch.manual_seed(1)
x = torch.linspace(-2.0, 2.0, 40).unsqueeze(1)
y = torch.sin(2.0 * x) + 0.3 * x
net = nn.Sequential(nn.Linear(1, 16), nn.Tanh(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 1))
opt = torch.optim.Adam(net.parameters(), lr=0.01)
for step in range(25):
    opt.zero_grad()
    loss = nn.functional.mse_loss(net(x), y)
    loss.backward()
    opt.step()
    print(step, loss.item())
with torch.no_grad():
    print(net(torch.tensor([[0.5], [-1.0]])).flatten().tolist())
print(net[0].weight[:4].flatten().tolist())
torch.manual_seed(2)
net2 = nn.Sequential(nn.Linear(1, 8), nn.ReLU(), nn.Linear(8, 1))
opt2 = torch.optim.AdamW(net2.parameters(), lr=0.02, weight_decay=0.1)
for step in range(10):
    opt2.zero_grad()
    loss = ((net2(x) - y) ** 2).mean()
    loss.backward()
    opt2.step()
    print("adamw", step, loss.item())
