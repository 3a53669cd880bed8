"""Plain Python classes that hold tensors: a tiny layer, a hand-made optimizer, a trainer."""
import torch


class Linear:
    """y = x @ W + b with parameters created from a deterministic formula."""

    def __init__(self, n_in, n_out, name="linear"):
        grid = torch.arange(n_in * n_out, dtype=torch.float32).reshape(n_in, n_out)
        self.W = (torch.cos(grid) * 0.5).requires_grad_()
        self.b = torch.zeros(n_out, requires_grad=True)
        self.name = name

    def __call__(self, x):
        return x @ self.W + self.b

    def parameters(self):
        yield self.W
        yield self.b

    def __repr__(self):
        n_in, n_out = self.W.shape
        return f"Linear({n_in} -> {n_out}, name={self.name!r})"


class Sequential:
    def __init__(self, *layers):
        self.layers = list(layers)

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def __len__(self):
        return len(self.layers)

    def __getitem__(self, i):
        return self.layers[i]

    def parameters(self):
        for layer in self.layers:
            if hasattr(layer, "parameters"):
                for p in layer.parameters():
                    yield p


class SGD:
    def __init__(self, params, lr=0.1, momentum=0.0):
        self.params = list(params)
        self.lr = lr
        self.momentum = momentum
        self.velocity = [torch.zeros_like(p) for p in self.params]

    def zero_grad(self):
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self):
        for p, v in zip(self.params, self.velocity):
            v.mul_(self.momentum).add_(p.grad)
            p.sub_(self.lr * v)


model = Sequential(Linear(2, 3, "hidden"), torch.tanh, Linear(3, 1, "out"))
print(len(model), model[0], model[2], model[1].__name__)
print("parameters:", [tuple(p.shape) for p in model.parameters()])
X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y = torch.tensor([[0.0], [1.0], [1.0], [0.0]])
opt = SGD(model.parameters(), lr=0.3, momentum=0.9)
print(f"initial loss {((model(X) - Y) ** 2).mean():.4f}")
for epoch in range(100):
    opt.zero_grad()
    loss = ((model(X) - Y) ** 2).mean()
    loss.backward()
    opt.step()
    if epoch % 20 == 19:
        print(f"epoch {epoch + 1:3d}: loss {loss:.4f}")
with torch.no_grad():
    preds = model(X).squeeze(1)
print("predictions:", [f"{v:.2f}" for v in preds.tolist()])
print("close to targets:", [abs(p - t) < 0.5 for p, t in zip(preds.tolist(), Y.squeeze(1).tolist())])
print("all leaves:", all(p.is_leaf for p in model.parameters()),
      "| velocity norms:", [f"{v.norm().item():.3f}" for v in opt.velocity])
