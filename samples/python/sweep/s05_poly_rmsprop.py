# The polynomial fit with torch.optim.RMSprop doing the updates.
import math
import torch

torch.manual_seed(4)
x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)
xx = x.unsqueeze(-1).pow(torch.tensor([1, 2, 3]))

model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
loss_fn = torch.nn.MSELoss(reduction="sum")
optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3)
print(optimizer)

for t in range(2000):
    y_pred = model(xx)
    loss = loss_fn(y_pred, y)
    if t % 100 == 99:
        print(f"{t:5d} {loss.item():12.4f}")
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

layer = model[0]
w = layer.weight.detach().squeeze()
print(f"Result: y = {layer.bias.item():.3f} + {w[0]:.3f} x + {w[1]:.3f} x^2 + {w[2]:.3f} x^3")
state = optimizer.state_dict()
print(sorted(state.keys()))
print(state["param_groups"][0]["alpha"], state["param_groups"][0]["eps"])
print(len(state["state"]), sorted(state["state"][0].keys()))
