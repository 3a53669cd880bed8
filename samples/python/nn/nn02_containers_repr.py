"""Sequential, ModuleList, ModuleDict, nesting, and a custom extra_repr."""
import torch
from torch import nn

torch.manual_seed(1)


class Scale(nn.Module):
    def __init__(self, factor, learnable=False):
        super().__init__()
        self.learnable = learnable
        if learnable:
            self.factor = nn.Parameter(torch.tensor(float(factor)))
        else:
            self.factor = factor

    def extra_repr(self):
        factor = self.factor.detach().item() if self.learnable else self.factor
        return f"factor={factor:.2f}, learnable={self.learnable}"

    def forward(self, x):
        return x * self.factor


class Tower(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Linear(4, 6), nn.Tanh())
        self.blocks = nn.ModuleList([nn.Linear(6, 6) for _ in range(2)])
        self.heads = nn.ModuleDict({
            "reg": nn.Linear(6, 1),
            "cls": nn.Sequential(nn.Linear(6, 3), nn.LogSoftmax(dim=-1)),
        })
        self.scale = Scale(0.5, learnable=True)

    def forward(self, x, head="reg"):
        x = self.stem(x)
        for block in self.blocks:
            x = x + torch.relu(block(x))
        return self.heads[head](self.scale(x))


net = Tower()
print(net)
print()
print("children:", [name for name, _ in net.named_children()])
print("all modules:")
for name, module in net.named_modules():
    print(f"  {name or '<root>':<12} {type(module).__name__}")

print("\nSequential indexing:", net.stem[0], "|", net.stem[-1])
print("len(blocks):", len(net.blocks), " heads keys:", list(net.heads.keys()))
print("'cls' in heads:", "cls" in net.heads)
print("slice of a Sequential:")
print(net.heads["cls"][:1])

seq = nn.Sequential()
seq.add_module("first", nn.Linear(2, 2))
seq.append(nn.ReLU())
print("built by add_module/append:")
print(seq)

named = nn.Sequential(*[nn.Identity() for _ in range(3)])
print("three identities:", len(named), [type(m).__name__ for m in named])

x = torch.randn(2, 4)
print("\nregression head:", net(x))
print("classification head:", net(x, head="cls"))
print("probabilities sum:", net(x, head="cls").exp().sum(dim=1))

print("\nparameter shapes:")
for name, p in net.named_parameters():
    print(f"  {name:<22} {list(p.shape)}")
print("count:", sum(p.numel() for p in net.parameters()))

net.blocks.append(nn.Linear(6, 6))
net.heads["extra"] = Scale(2.0)
print("after append and insert:", len(net.blocks), list(net.heads))
print(net.heads["extra"])
