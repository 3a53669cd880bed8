"""A first nn.Module: a two-layer network, its parameters, and one forward pass."""
import torch
from torch import nn

torch.manual_seed(0)


class TwoLayerNet(nn.Module):
    def __init__(self, d_in, d_hidden, d_out):
        super().__init__()
        self.hidden = nn.Linear(d_in, d_hidden)
        self.act = nn.ReLU()
        self.out = nn.Linear(d_hidden, d_out)

    def forward(self, x):
        return self.out(self.act(self.hidden(x)))


model = TwoLayerNet(3, 4, 2)
print(model)
print("hidden layer:", model.hidden)
print("in/out features:", model.hidden.in_features, model.hidden.out_features)

print("\nnamed parameters:")
for name, p in model.named_parameters():
    print(f"  {name:<14} shape={tuple(p.shape)} requires_grad={p.requires_grad}")

total = sum(p.numel() for p in model.parameters())
trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
print(f"total parameters: {total}, trainable: {trainable}")
print("by hand:", 3 * 4 + 4 + 4 * 2 + 2)

print("\nthe default initialisation of the first layer:")
print(model.hidden.weight)
print(model.hidden.bias)
print("weight is a Parameter:", isinstance(model.hidden.weight, nn.Parameter))
print("type name:", type(model.hidden.weight).__name__)
print("is leaf:", model.hidden.weight.is_leaf)

x = torch.randn(5, 3)
y = model(x)
print("\ninput:")
print(x)
print("output:")
print(y)
print("output shape:", y.shape, "grad_fn:", y.grad_fn.name())

# the same computation with explicit matrix products
h = torch.relu(x @ model.hidden.weight.T + model.hidden.bias)
manual = h @ model.out.weight.T + model.out.bias
print("manual forward matches:", torch.allclose(manual, y))

scale = nn.Parameter(torch.tensor([1.5, -0.5]))
print("\na standalone Parameter:")
print(scale)
print("its data:", scale.data)
print("detached:", scale.detach())

loss = (y * scale).sum()
loss.backward()
print("grad of out.bias:", model.out.bias.grad)
print("grad of scale:", scale.grad)
print("hidden.weight.grad shape:", model.hidden.weight.grad.shape)
