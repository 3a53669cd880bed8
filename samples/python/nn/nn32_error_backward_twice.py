"""A training loop that reuses a loss computed outside the loop: backward twice (uncaught)."""
import torch
from torch import nn

torch.manual_seed(32)

X = torch.randn(16, 2)
y = X.sum(dim=1, keepdim=True)


def make_model():
    return nn.Sequential(nn.Linear(2, 3), nn.Sigmoid(), nn.Linear(3, 1))


# the correct loop first: a fresh forward pass (and graph) every epoch
model = make_model()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(3):
    loss = nn.functional.mse_loss(model(X), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"correct loop, epoch {epoch}: loss {loss.item():.4f}")

# retain_graph=True keeps the graph, but opt.step() modified the saved weights in place
model = make_model()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
stale = nn.functional.mse_loss(model(X), y)
try:
    for epoch in range(2):
        opt.zero_grad()
        stale.backward(retain_graph=True)
        opt.step()
        print(f"retain_graph loop, epoch {epoch}: reported loss {stale.item():.4f}")
except RuntimeError as err:
    print("retain_graph loop failed:", str(err).split(":")[0])

# bug: the forward pass and the loss are outside the loop
model = make_model()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
loss = nn.functional.mse_loss(model(X), y)
print(f"initial loss: {loss.item():.4f}")
for epoch in range(3):
    opt.zero_grad()
    print(f"epoch {epoch}: calling backward")
    loss.backward()
    opt.step()
    print(f"epoch {epoch}: step done, bias now {model[2].bias.item():.4f}")
