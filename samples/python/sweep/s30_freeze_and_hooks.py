# Fine-tuning style: freeze a backbone, per-group learning rates, and forward hooks.
import torch
from torch import nn

torch.manual_seed(30)
backbone = nn.Sequential(nn.Linear(6, 12), nn.ReLU(), nn.Linear(12, 12), nn.ReLU())
head = nn.Linear(12, 2)
model = nn.Sequential(backbone, head)
print(model)

for p in backbone.parameters():
    p.requires_grad = False
trainable = [n for n, p in model.named_parameters() if p.requires_grad]
print("trainable:", trainable)

activations = {}


def save_activation(name):
    def hook(module, inp, out):
        activations[name] = out.detach()
    return hook


h1 = backbone[1].register_forward_hook(save_activation("relu1"))
h2 = backbone[3].register_forward_hook(save_activation("relu2"))
X = torch.randn(32, 6)
y = torch.randint(0, 2, (32,))
opt = torch.optim.SGD(filter(lambda p: p.requires_grad, model.parameters()), lr=0.1)
frozen_before = backbone[0].weight.clone()
for step in range(30):
    loss = nn.functional.cross_entropy(model(X), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 10 == 0:
        print(f"step {step} loss {loss.item():.4f}")
print("backbone unchanged:", torch.equal(frozen_before, backbone[0].weight))
print("backbone grad:", backbone[0].weight.grad)
print("captured:", sorted(activations), activations["relu1"].shape)
print("fraction active:", f"{(activations['relu2'] > 0).float().mean().item():.3f}")
h1.remove()
h2.remove()
activations.clear()
model(X)
print("after removing hooks:", activations)

for p in backbone.parameters():
    p.requires_grad_(True)
opt2 = torch.optim.Adam([
    {"params": backbone.parameters(), "lr": 1e-4},
    {"params": head.parameters()},
], lr=1e-2)
for i, g in enumerate(opt2.param_groups):
    print(i, g["lr"], len(g["params"]))
grads = []
head.weight.register_hook(lambda g: grads.append(g.norm().item()))
nn.functional.cross_entropy(model(X), y).backward()
print("hook fired:", len(grads), f"{grads[0]:.4f}")
print(model.state_dict()["1.weight"].shape, list(model.state_dict())[:2])
