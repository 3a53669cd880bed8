# Homework: custom initialisation with model.apply and counting parameters.
import torch
from torch import nn

torch.manual_seed(25)


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.xavier_uniform_(m.weight)
        m.bias.data.fill_(0.01)
    elif isinstance(m, nn.Conv2d):
        nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
        nn.init.zeros_(m.bias)


net = nn.Sequential(
    nn.Conv2d(1, 4, kernel_size=3, padding=1),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(4 * 4 * 4, 16),
    nn.ReLU(),
    nn.Linear(16, 3),
)
print(net.apply(init_weights) is net)
print(net[4].bias[:3])
bound = (6 / (64 + 16)) ** 0.5
print("xavier bound respected:", net[4].weight.abs().max().item() <= bound)
print(f"xavier bound {bound:.4f}")
print(f"conv weight std {net[0].weight.std().item():.4f}")

total = sum(p.numel() for p in net.parameters() if p.requires_grad)
print(f"trainable parameters: {total:,}")
for p in net[0].parameters():
    p.requires_grad_(False)
print("after freezing conv:", sum(p.numel() for p in net.parameters() if p.requires_grad))
x = torch.randn(2, 1, 8, 8)
print(net(x).shape)

lin = nn.Linear(3, 2)
nn.init.constant_(lin.weight, 0.5)
nn.init.normal_(lin.bias, mean=0.0, std=0.01)
print(lin.weight)
nn.init.orthogonal_(lin.weight)
print("orthogonal rows:", torch.allclose(lin.weight @ lin.weight.T, torch.eye(2), atol=1e-6))
w = torch.empty(3, 5)
nn.init.trunc_normal_(w, std=0.02)
print("trunc normal within 2:", bool((w.abs() <= 2).all()))
print(nn.init.calculate_gain("leaky_relu", 0.2), nn.init.calculate_gain("tanh"))
for name, module in net.named_children():
    print(name, module.__class__.__name__)
