# From a hand-written logistic model to nn.Module, the "what is torch.nn really" path.
import math
import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(10)
n, bs = 200, 50
x_train = torch.rand(n, 784)
y_train = torch.randint(0, 10, (n,))
print(x_train.shape, y_train.min(), y_train.max())

weights = torch.randn(784, 10) / math.sqrt(784)
weights.requires_grad_()
bias = torch.zeros(10, requires_grad=True)


def log_softmax(x):
    return x - x.exp().sum(-1).log().unsqueeze(-1)


def model(xb):
    return log_softmax(xb @ weights + bias)


def nll(inp, target):
    return -inp[range(target.shape[0]), target].mean()


def accuracy(out, yb):
    preds = torch.argmax(out, dim=1)
    return (preds == yb).float().mean()


xb = x_train[0:bs]
preds = model(xb)
print(preds[0], preds.shape)
yb = y_train[0:bs]
print(f"{nll(preds, yb).item():.4f}", f"{accuracy(preds, yb).item():.4f}")

lr = 0.5
for epoch in range(2):
    for i in range((n - 1) // bs + 1):
        xb = x_train[i * bs:i * bs + bs]
        yb = y_train[i * bs:i * bs + bs]
        loss = nll(model(xb), yb)
        loss.backward()
        with torch.no_grad():
            weights -= weights.grad * lr
            bias -= bias.grad * lr
            weights.grad.zero_()
            bias.grad.zero_()
print("manual:", f"{nll(model(xb), yb).item():.4f}", f"{accuracy(model(xb), yb).item():.4f}")
print("F.cross_entropy agrees:", torch.allclose(F.cross_entropy(xb @ weights + bias, yb), nll(model(xb), yb)))


class MnistLogistic(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(784, 10)

    def forward(self, xb):
        return self.lin(xb)


net = MnistLogistic()
opt = torch.optim.SGD(net.parameters(), lr=lr)
for epoch in range(3):
    for i in range((n - 1) // bs + 1):
        start_i = i * bs
        xb, yb = x_train[start_i:start_i + bs], y_train[start_i:start_i + bs]
        loss = F.cross_entropy(net(xb), yb)
        loss.backward()
        opt.step()
        opt.zero_grad()
    print(epoch, f"{loss.item():.4f}")
print(net)
