"""Handout: CNN building blocks you meet after the first tutorial.

Lazy layers that size themselves, global max pooling with AdaptiveMaxPool2d, convolution
written by hand with unfold (im2col), its inverse fold, and channel dropout.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(5)

# --- a classifier head that infers its input size -----------------------------------------
net = nn.Sequential(
    nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(),
    nn.AdaptiveMaxPool2d((2, 2)), nn.Flatten(),
    nn.LazyLinear(3),
)
print(net)
images = torch.randn(5, 1, 7, 7)
logits = net(images)
print(net[-1], logits.shape)
pooled, where = F.adaptive_max_pool2d(net[1](net[0](images)), 1, return_indices=True)
print("global max of map 0:", pooled[0, :, 0, 0].detach(), where[0, :, 0, 0])

# --- convolution as unfold + matmul --------------------------------------------------------
conv = net[0]
cols = F.unfold(images, kernel_size=3, padding=1)             # (N, C*k*k, L)
by_hand = (conv.weight.view(4, -1) @ cols + conv.bias.view(4, 1)).view(5, 4, 7, 7)
print("unfold matches conv2d:", torch.allclose(by_hand, conv(images), atol=1e-5))
print(cols.shape, F.unfold(images.requires_grad_(), 3).grad_fn.name())

# --- fold undoes unfold up to the overlap count ---------------------------------------------
x = torch.arange(16.0).view(1, 1, 4, 4).requires_grad_()
patches = nn.Unfold(kernel_size=2, stride=1)(x)
overlap = nn.Fold(output_size=(4, 4), kernel_size=2)(torch.ones_like(patches))
restored = nn.Fold(output_size=(4, 4), kernel_size=2)(patches) / overlap
print(overlap[0, 0])
print("restored:", torch.equal(restored, x), restored.grad_fn.name())
restored.sum().backward()
print(x.grad[0, 0])

# --- training a few steps; dropout3d on a volume --------------------------------------------
target = torch.randint(0, 3, (5,))
opt = torch.optim.SGD(net.parameters(), lr=0.1)
for step in range(3):
    opt.zero_grad()
    loss = F.cross_entropy(net(images), target)
    loss.backward()
    opt.step()
    print(f"step {step}: {loss.item():.4f}")

volume = torch.ones(2, 4, 2, 2, 2)
dropped = nn.Dropout3d(p=0.5)(volume)
print("channels kept:", (dropped[:, :, 0, 0, 0] > 0).int().tolist(), dropped.max().item())
