"""Convolution and pooling layers, plus Flatten/Unflatten/Identity/Bilinear, on small inputs."""
import torch
from torch import nn

torch.manual_seed(16)

signal = torch.arange(10, dtype=torch.float32).reshape(1, 1, 10)
conv1 = nn.Conv1d(1, 2, kernel_size=3)
print(conv1)
print("Conv1d weight:", conv1.weight.shape, "bias:", conv1.bias.shape)
out1 = conv1(signal)
print("signal", tuple(signal.shape), "->", tuple(out1.shape))
print(out1)
strided = nn.Conv1d(1, 1, kernel_size=2, stride=2, bias=False)
with torch.no_grad():
    strided.weight.fill_(0.5)
print("stride-2 pairwise mean:", strided(signal))

img = torch.randn(2, 3, 6, 6)
layers = [
    nn.Conv2d(3, 4, kernel_size=3),
    nn.Conv2d(3, 4, kernel_size=3, padding=1),
    nn.Conv2d(3, 4, kernel_size=3, stride=2, padding=1),
    nn.Conv2d(3, 4, kernel_size=(1, 3), padding=(0, 1), bias=False),
    nn.Conv2d(3, 3, kernel_size=3, groups=3),
    nn.MaxPool2d(2),
    nn.MaxPool2d(3, stride=1),
    nn.AvgPool2d(2),
    nn.AvgPool2d(3, stride=2, padding=1),
    nn.AdaptiveAvgPool2d(1),
    nn.AdaptiveAvgPool2d((2, 3)),
]
print("\ninput:", tuple(img.shape))
for layer in layers:
    out = layer(img)
    print(f"{str(layer):<80} -> {tuple(out.shape)}")

grid = torch.arange(16, dtype=torch.float32).reshape(1, 1, 4, 4)
print("\ngrid:")
print(grid[0, 0])
print("max pool 2x2:", nn.MaxPool2d(2)(grid)[0, 0])
print("avg pool 2x2:", nn.AvgPool2d(2)(grid)[0, 0])
print("global average:", nn.AdaptiveAvgPool2d(1)(grid).flatten())
pool = nn.MaxPool2d(2, return_indices=True)
values, indices = pool(grid)
print("argmax indices:", indices.flatten().tolist())

flat = nn.Flatten()
unflat = nn.Unflatten(1, (3, 4))
x = torch.randn(2, 3, 4)
f = flat(x)
print("\n", flat, "->", tuple(f.shape), "|", unflat, "->", tuple(unflat(f).shape))
print("round trip equal:", torch.equal(unflat(f), x))
print("Flatten(0):", tuple(nn.Flatten(0)(x).shape))

ident = nn.Identity(54, unused="ignored")
print(ident, "returns its input:", ident(x) is x)

bil = nn.Bilinear(3, 2, 4)
print("\n", bil, sep="")
a = torch.randn(5, 3)
b = torch.randn(5, 2)
out = bil(a, b)
print("bilinear output:", tuple(out.shape), out.grad_fn.name())
manual = torch.einsum("ni,oij,nj->no", a, bil.weight, b) + bil.bias
print("matches einsum:", torch.allclose(out, manual, atol=1e-6))
print(out[:2])
