# Polynomial fitting with nn.Sequential, nn.Flatten and MSELoss(reduction='sum').
import math
import torch
from torch import nn

torch.manual_seed(3)
x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)

p = torch.tensor([1, 2, 3])
xx = x.unsqueeze(-1).pow(p)
print("features shape:", xx.shape)

model = nn.Sequential(
    nn.Linear(3, 1),
    nn.Flatten(0, 1),
)
print(model)
loss_fn = nn.MSELoss(reduction="sum")

lr = 1e-6
for t in range(2000):
    y_pred = model(xx)
    loss = loss_fn(y_pred, y)
    if t % 100 == 99:
        print(t, f"{loss.item():.4f}")
    model.zero_grad()
    loss.backward()
    with torch.no_grad():
        for param in model.parameters():
            param -= lr * param.grad

linear = model[0]
print(
    f"Result: y = {linear.bias.item():.4f} + {linear.weight[:, 0].item():.4f} x"
    f" + {linear.weight[:, 1].item():.4f} x^2 + {linear.weight[:, 2].item():.4f} x^3"
)
print(type(model[1]).__name__, model[1].start_dim, model[1].end_dim)
