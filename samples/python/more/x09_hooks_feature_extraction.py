# Hooks: grabbing activations, editing gradients, and removing hooks with handles.
import torch
import torch.nn as nn

torch.manual_seed(0)
net = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
activations = {}


def save_activation(name):
    def hook(module, inputs, output):
        activations[name] = output.detach()
    return hook


handles = [net[i].register_forward_hook(save_activation(f"layer{i}")) for i in range(3)]
x = torch.randn(2, 3)
y = net(x)
for k, v in activations.items():
    print(k, tuple(v.shape), f"{v.abs().mean().item():.4f}")
for h in handles:
    h.remove()
activations.clear()
net(x)
print("after remove:", activations)


def pre_hook(module, args):
    print("pre-hook sees", type(args).__name__, len(args), tuple(args[0].shape))
    return (args[0] * 0,)


h = net[0].register_forward_pre_hook(pre_hook)
out = net(x)
print("zero input gives bias path:", torch.allclose(out[0], out[1]))
h.remove()


def replace_output(module, inputs, output):
    return output.clamp(min=0)


h = net[1].register_forward_hook(replace_output)
print("clamped hidden:", (net[:2](x) >= 0).all().item())
h.remove()

# backward hooks on modules and tensors
grads = []
h = net[2].register_full_backward_hook(lambda m, gin, gout: grads.append((gin[0].shape, gout[0].shape)))
net(x).pow(2).sum().backward()
print("full backward hook:", grads)
h.remove()

w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
z = w * 2
z.register_hook(lambda g: print("grad flowing into z:", g))
hz = w.register_hook(lambda g: g * 10)
z.sum().backward()
print("w.grad scaled by hook:", w.grad)
hz.remove()
w.grad = None
(w * 2).sum().backward()
print("w.grad without hook:", w.grad)

# post-accumulate-grad hook (used for fused optimizers)
p = nn.Parameter(torch.ones(2))
p.register_post_accumulate_grad_hook(lambda t: print("accumulated:", t.grad))
(p * 3).sum().backward()

# module state through hooks: count calls
class Counter:
    def __init__(self):
        self.n = 0

    def __call__(self, module, inputs, output):
        self.n += 1


c = Counter()
net.register_forward_hook(c)
for _ in range(3):
    net(x)
print("forward calls:", c.n)
print("hooks dict size:", len(net._forward_hooks))

# gradient of the input: a saliency map
inp = torch.randn(1, 3, requires_grad=True)
score = net(inp)[0, 1]
score.backward()
print("saliency:", inp.grad.abs().round(decimals=4))

# retain_grad on intermediate values
a = torch.tensor([0.5, -1.5], requires_grad=True)
b = torch.sigmoid(a)
b.retain_grad()
c2 = (b ** 2).sum()
c2.backward()
print("b.grad:", b.grad, "a.grad:", a.grad)
print("is_leaf:", a.is_leaf, b.is_leaf, "grad_fn:", b.grad_fn.name())
print(c2.grad_fn.next_functions[0][0].name())
