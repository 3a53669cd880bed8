"""state_dict, buffers, and loading weights with strict and non-strict matching."""
import torch
from torch import nn

torch.manual_seed(2)


class Normalizer(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.register_buffer("mean", torch.zeros(dim))
        self.register_buffer("std", torch.ones(dim))
        self.register_buffer("scratch", torch.zeros(2), persistent=False)
        self.linear = nn.Linear(dim, 2)

    def fit(self, data):
        self.mean.copy_(data.mean(dim=0))
        self.std.copy_(data.std(dim=0))

    def forward(self, x):
        return self.linear((x - self.mean) / self.std)


model = Normalizer(3)
data = torch.randn(10, 3) * 2 + 1
model.fit(data)

print("buffers:", [name for name, _ in model.named_buffers()])
print("parameters:", [name for name, _ in model.named_parameters()])
sd = model.state_dict()
print("state_dict keys:", list(sd.keys()))
for key, value in sd.items():
    print(f"  {key:<14} {tuple(value.shape)} requires_grad={value.requires_grad}")
print("mean buffer:", model.mean)
print("std buffer:", model.std)
print("'scratch' persisted:", "scratch" in sd)

fresh = Normalizer(3)
print("\nbefore loading, same weights:", torch.equal(fresh.linear.weight, model.linear.weight))
result = fresh.load_state_dict(sd)
print("load result:", result)
print("missing:", result.missing_keys, "unexpected:", result.unexpected_keys)
print("after loading, same weights:", torch.equal(fresh.linear.weight, model.linear.weight))
x = torch.randn(4, 3)
print("same outputs:", torch.allclose(fresh(x), model(x)))

partial = {k: v for k, v in sd.items() if k.startswith("linear.")}
try:
    fresh.load_state_dict(partial)
except RuntimeError as err:
    print("\nstrict load failed:", type(err).__name__)
    for line in str(err).splitlines():
        print("   ", line.strip())

result = fresh.load_state_dict(partial, strict=False)
print("non-strict missing keys:", result.missing_keys)

renamed = dict(sd)
renamed["linear.W"] = renamed.pop("linear.weight")
try:
    fresh.load_state_dict(renamed)
except RuntimeError as err:
    print("renamed key:", str(err).splitlines()[0])
    print("  ", str(err).splitlines()[1].strip())
    print("  ", str(err).splitlines()[2].strip())

wrong = dict(sd)
wrong["linear.bias"] = torch.zeros(5)
try:
    fresh.load_state_dict(wrong)
except RuntimeError as err:
    lines = str(err).splitlines()
    print("shape mismatch:", lines[0])
    print("  ", lines[1].strip())

sd["linear.bias"].fill_(0.25)
print("\nstate_dict tensors share storage with the module:", model.linear.bias)
cloned = {k: v.clone() for k, v in model.state_dict().items()}
cloned["linear.bias"].fill_(-1.0)
print("a cloned copy does not:", model.linear.bias)
print("keep_vars gives Parameters:", type(model.state_dict(keep_vars=True)["linear.weight"]).__name__)
print("plain state_dict gives:", type(model.state_dict()["linear.weight"]).__name__)
