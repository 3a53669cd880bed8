# state_dict round trips, and saving to disk.
import torch
from torch import nn

torch.manual_seed(12)


class TinyNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 3)
        self.bn = nn.BatchNorm1d(3)
        self.fc2 = nn.Linear(3, 2)

    def forward(self, x):
        return self.fc2(torch.relu(self.bn(self.fc1(x))))


model = TinyNet()
sd = model.state_dict()
for k, v in sd.items():
    print(k, tuple(v.shape))
print(type(sd).__name__)

clone = TinyNet()
x = torch.randn(5, 4)
model.eval()
clone.eval()
print("different before:", not torch.allclose(model(x), clone(x)))
result = clone.load_state_dict(model.state_dict())
print(result)
print("same after:", torch.allclose(model(x), clone(x)))

partial = {k: v for k, v in sd.items() if k.startswith("fc")}
res = clone.load_state_dict(partial, strict=False)
print("missing:", res.missing_keys)
print("unexpected:", res.unexpected_keys)
try:
    clone.load_state_dict(partial)
except RuntimeError as e:
    print("strict load failed:", str(e).splitlines()[0])

opt = torch.optim.Adam(model.parameters(), lr=0.01)
print(opt.state_dict()["param_groups"][0]["lr"])

torch.save(model.state_dict(), "tiny_weights.pth")
again = TinyNet()
again.load_state_dict(torch.load("tiny_weights.pth", weights_only=True))
again.eval()
print("loaded from disk matches:", torch.allclose(again(x), model(x)))
import os
os.remove("tiny_weights.pth")
print("cleaned up")
