"""Plain Python classes that hold tensors: a tiny 'module' system without torch.nn."""
import math
import torch
from typing import List, Iterator


class Parameter:
    def __init__(self, data: torch.Tensor, name: str):
        self.data = data.requires_grad_(True)
        self.name = name

    def __repr__(self):
        return f"Parameter({self.name}, shape={tuple(self.data.shape)})"


class Linear:
    def __init__(self, n_in: int, n_out: int, name: str):
        bound = 1 / math.sqrt(n_in)
        self.W = Parameter(torch.empty(n_in, n_out).uniform_(-bound, bound), name + ".W")
        self.b = Parameter(torch.zeros(n_out), name + ".b")

    def __call__(self, x):
        return x @ self.W.data + self.b.data

    def parameters(self) -> Iterator[Parameter]:
        yield self.W
        yield self.b


class MLP:
    def __init__(self, sizes: List[int]):
        self.layers = [Linear(a, b, f"layer{i}") for i, (a, b) in enumerate(zip(sizes, sizes[1:]))]

    def __call__(self, x):
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < len(self.layers) - 1:
                x = torch.tanh(x)
        return x

    def parameters(self):
        for layer in self.layers:
            yield from layer.parameters()

    def zero_grad(self):
        for p in self.parameters():
            p.data.grad = None

    def __len__(self):
        return sum(p.data.numel() for p in self.parameters())


class SGD:
    def __init__(self, params, lr=0.1, momentum=0.0):
        self.params = list(params)
        self.lr = lr
        self.momentum = momentum
        self.velocity = {p.name: torch.zeros_like(p.data) for p in self.params}

    def step(self):
        with torch.no_grad():
            for p in self.params:
                v = self.velocity[p.name]
                v.mul_(self.momentum).add_(p.data.grad)
                p.data -= self.lr * v


torch.manual_seed(5)
X = torch.randn(32, 2)
Y = (X[:, :1] * X[:, 1:] > 0).float()  # XOR-like quadrant labels
net = MLP([2, 8, 1])
print(list(net.parameters()))
print("number of weights:", len(net))
opt = SGD(net.parameters(), lr=0.5, momentum=0.9)

for epoch in range(60):
    net.zero_grad()
    logits = net(X)
    probs = torch.sigmoid(logits)
    loss = -(Y * torch.log(probs + 1e-7) + (1 - Y) * torch.log(1 - probs + 1e-7)).mean()
    loss.backward()
    opt.step()
    if epoch % 10 == 0 or epoch == 59:
        acc = ((probs > 0.5).float() == Y).float().mean()
        print(f"epoch {epoch:2d} loss={loss:.4f} acc={acc:.2%}")

grads = {p.name: p.data.grad.norm().item() for p in net.parameters()}
for k, v in sorted(grads.items()):
    print(f"  |grad {k}| = {v:.5f}")
print("layer0 bias:", net.layers[0].b.data)
print(net.layers[1].W)
print(isinstance(net.layers[0], Linear), type(opt).__name__, hasattr(net, "zero_grad"))
