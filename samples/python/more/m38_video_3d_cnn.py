"""A tiny 3-D CNN for short video clips: Conv3d, BatchNorm3d, the 3-D poolings."""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


class Clip3DNet(nn.Module):
    def __init__(self, classes=3):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv3d(1, 4, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm3d(4),
            nn.ReLU(),
            nn.MaxPool3d(kernel_size=(1, 2, 2)),
            nn.Conv3d(4, 8, kernel_size=(3, 3, 3), stride=(1, 2, 2), padding=1, bias=False),
            nn.BatchNorm3d(8),
            nn.ReLU(),
            nn.AvgPool3d(2, ceil_mode=True),
            nn.AdaptiveAvgPool3d(1),
        )
        self.head = nn.Linear(8, classes)

    def forward(self, x):
        x = self.features(x)
        return self.head(torch.flatten(x, 1))


model = Clip3DNet()
print(model)
print([k for k in model.state_dict().keys() if "features.1" in k])
print("parameters:", sum(p.numel() for p in model.parameters()))

clips = torch.randn(4, 1, 6, 16, 16)  # (batch, channels, frames, height, width)
labels = torch.tensor([0, 2, 1, 2])
x = clips
for i, layer in enumerate(model.features):
    x = layer(x)
    print(f"{i}: {type(layer).__name__:18s} {tuple(x.shape)} {x.grad_fn.name()}")

optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
for epoch in range(4):
    optimizer.zero_grad()
    loss = F.cross_entropy(model(clips), labels)
    loss.backward()
    optimizer.step()
    print(f"epoch {epoch}: loss {loss.item():.4f}")
bn = model.features[1]
print("running var:", bn.running_var.round(decimals=3))
print("batches tracked:", bn.num_batches_tracked)

# the poolings on a small volume, with their gradients
v = torch.arange(2 * 4 * 4 * 4, dtype=torch.float32).reshape(1, 2, 4, 4, 4)
v = (v.sin() * 3).requires_grad_()
mx, idx = F.max_pool3d(v, 2, return_indices=True)
print(mx)
print(idx)
avg = F.avg_pool3d(v, 3, stride=1, padding=1, count_include_pad=False)
ada = F.adaptive_avg_pool3d(v, (2, 3, 1))
amx = F.adaptive_max_pool3d(v, (1, 2, 3))
print(avg[0, 1, 0], avg.grad_fn.name())
print(ada, ada.grad_fn.name())
print(amx, amx.grad_fn.name())
(mx.sum() + (avg * avg).sum() + ada.pow(3).sum() + amx.sum()).backward()
print(v.grad[0, 0])

# a transposed 3-D convolution doubles each dimension
up = nn.ConvTranspose3d(2, 1, kernel_size=2, stride=2)
print(up, tuple(up(v).shape), up(v).grad_fn.name())

for bad in (lambda: nn.BatchNorm3d(2)(torch.randn(2, 2, 4, 4)),
            lambda: F.max_pool3d(torch.randn(2, 4, 4), 2),
            lambda: F.avg_pool3d(torch.randn(1, 2, 2, 2), 3),
            lambda: F.conv3d(torch.randn(1, 3, 4, 4), torch.randn(2, 3, 2, 2, 2))):
    try:
        bad()
    except (RuntimeError, ValueError) as e:
        print(f"{type(e).__name__}: {e}")
