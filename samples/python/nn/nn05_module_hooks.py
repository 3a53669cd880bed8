"""Forward hooks, forward pre-hooks and backward hooks to inspect activations."""
import torch
from torch import nn

torch.manual_seed(5)

net = nn.Sequential(
    nn.Linear(3, 5),
    nn.Tanh(),
    nn.Linear(5, 4),
    nn.ReLU(),
    nn.Linear(4, 1),
)

activations = {}
handles = []


def save_output(name):
    def hook(module, inputs, output):
        activations[name] = output.detach()
        print(f"  forward hook {name}: {type(module).__name__} "
              f"in={tuple(inputs[0].shape)} out={tuple(output.shape)}")
    return hook


for idx, layer in enumerate(net):
    handles.append(layer.register_forward_hook(save_output(f"layer{idx}")))

x = torch.randn(2, 3)
print("first pass:")
y = net(x)
print("output:", y)
print("saved:", list(activations))
print("tanh activations:")
print(activations["layer1"])
dead = (activations["layer3"] == 0).float().mean().item()
print(f"fraction of ReLU outputs that are zero: {dead:.4f}")


def double_input(module, inputs):
    print("  pre-hook sees", tuple(inputs[0].shape))
    return (inputs[0] * 2,)


pre = net[0].register_forward_pre_hook(double_input)


def clamp_output(module, inputs, output):
    return output.clamp(min=-0.1)


replace = net[4].register_forward_hook(clamp_output)
print("\nwith the pre-hook and an output-replacing hook:")
y2 = net(x)
print("output:", y2)

for h in handles:
    h.remove()
pre.remove()
replace.remove()
activations.clear()
print("\nafter removing every hook:")
y3 = net(x)
print("same as first output:", torch.equal(y3, y), "saved:", activations)

grad_norms = {}


def record_grad(module, grad_input, grad_output):
    grad_norms[type(module).__name__ + str(len(grad_norms))] = grad_output[0].norm().item()


bh = [m.register_full_backward_hook(record_grad) for m in net if isinstance(m, nn.Linear)]
xg = x.clone().requires_grad_()
loss = net(xg).sum()
loss.backward()
print("input grad:", xg.grad)
print("\nbackward hooks fired in order:")
for name, value in grad_norms.items():
    print(f"  {name}: |grad_output| = {value:.4f}")
for h in bh:
    h.remove()

grads_seen = []
handle = net[2].weight.register_hook(lambda g: grads_seen.append(g.abs().sum().item()))
net.zero_grad()
net(x).sum().backward()
handle.remove()
print(f"tensor hook on net[2].weight saw |g|_1 = {grads_seen[0]:.4f}")
print(f"equals .grad: {abs(grads_seen[0] - net[2].weight.grad.abs().sum().item()) < 1e-6}")
