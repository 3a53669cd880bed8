# Inspecting a model: print(model), named_modules, state_dict, init via apply, freezing.
from collections import OrderedDict
import torch
import torch.nn as nn

torch.manual_seed(0)


class Residual(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.fn = nn.Sequential(nn.Linear(dim, dim), nn.LayerNorm(dim), nn.SiLU())
        self.scale = nn.Parameter(torch.ones(1))

    def forward(self, x):
        return x + self.scale * self.fn(x)

    def extra_repr(self):
        return f"scale_init=1.0"


model = nn.Sequential(OrderedDict([
    ("stem", nn.Linear(4, 8)),
    ("act", nn.ReLU(inplace=True)),
    ("blocks", nn.ModuleList([Residual(8) for _ in range(2)])),
    ("heads", nn.ModuleDict({"cls": nn.Linear(8, 3), "reg": nn.Linear(8, 1)})),
    ("unflat", nn.Unflatten(1, (2, 4))),
]))
model.register_buffer("step", torch.tensor(0))
print(model)

total = sum(p.numel() for p in model.parameters())
print(f"Total params: {total:,}")
for name, module in model.named_modules():
    if isinstance(module, nn.Linear):
        print(f"  {name:20s} in={module.in_features} out={module.out_features}")
print("children:", [n for n, _ in model.named_children()])
sd = model.state_dict()
print(type(sd).__name__, len(sd))
for k, v in list(sd.items())[:6]:
    print(f"{k:28s} {str(list(v.shape)):10s} {v.dtype}")
print("buffers:", [n for n, _ in model.named_buffers()])


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.kaiming_uniform_(m.weight, nonlinearity="relu")
        nn.init.constant_(m.bias, 0.01)
    elif isinstance(m, nn.LayerNorm):
        nn.init.ones_(m.weight)
        nn.init.zeros_(m.bias)


model.apply(init_weights)
print("stem weight std:", f"{model.stem.weight.std().item():.4f}")
print("bias:", model.heads.cls.bias)

# freeze everything but the heads
for name, p in model.named_parameters():
    p.requires_grad = name.startswith("heads")
trainable = [n for n, p in model.named_parameters() if p.requires_grad]
print("trainable:", trainable)
print(model.get_submodule("blocks.1.fn.0"))
print(model.get_parameter("blocks.0.scale"))

x = torch.randn(5, 4)
h = model.stem(x)
h = model.act(h)
for blk in model.blocks:
    h = blk(h)
logits = model.heads["cls"](h)
logits.sum().backward()
print("stem grad is None:", model.stem.weight.grad is None)
print("cls grad norm:", f"{model.heads.cls.weight.grad.norm().item():.4f}")
model.zero_grad()
print("after zero_grad:", model.heads.cls.weight.grad)

# loading a partial state dict
small = nn.Sequential(OrderedDict([("stem", nn.Linear(4, 8)), ("extra", nn.Linear(8, 8))]))
result = small.load_state_dict(model.state_dict(), strict=False)
print("missing:", result.missing_keys)
print("unexpected count:", len(result.unexpected_keys), result.unexpected_keys[:3])
print(torch.equal(small.stem.weight, model.stem.weight))
try:
    small.load_state_dict({"stem.weight": torch.zeros(3, 3)}, strict=False)
except RuntimeError as e:
    print(str(e).splitlines()[0])
    print(str(e).splitlines()[1].strip())

vec = nn.utils.parameters_to_vector(small.parameters())
print("flat:", vec.shape)
nn.utils.vector_to_parameters(torch.zeros_like(vec), small.parameters())
print("zeroed:", small.extra.bias.abs().sum().item())
plist = nn.ParameterList([nn.Parameter(torch.zeros(2)), nn.Parameter(torch.ones(3, 1))])
print(plist)
pdict = nn.ParameterDict({"a": nn.Parameter(torch.zeros(1))})
print(pdict)
double = nn.Linear(2, 2).double()
print(double.weight.dtype, double(torch.ones(1, 2, dtype=torch.float64)).dtype)
print(nn.Flatten(), nn.Identity(), nn.Dropout2d(0.1))
