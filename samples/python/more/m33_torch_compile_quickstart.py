"""PyTorch 2 quickstart: wrap a model with torch.compile and train it as usual.

The compiled model prints its original inside, saves with '_orig_mod.' keys, reads
attributes through to the original, and trains to the same numbers as eager mode.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(2)


class TinyNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 16)
        self.fc2 = nn.Linear(16, 3)
        self.temperature = 2.0

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x))) / self.temperature


model = TinyNet()
compiled = torch.compile(model)
print(compiled)
print(type(compiled).__name__, compiled.temperature, compiled.fc1.out_features)
print(list(compiled.state_dict())[:2])

x = torch.randn(32, 4)
y = torch.randint(0, 3, (32,))
opt = torch.optim.Adam(compiled.parameters(), lr=0.01)
for step in range(4):
    opt.zero_grad()
    logits = compiled(x)
    loss = F.cross_entropy(logits, y)
    loss.backward()
    opt.step()
    print(f"step {step}: loss {loss.item():.4f}, logits need grad: {logits.requires_grad}")

compiled.eval()
with torch.no_grad():
    acc = (compiled(x).argmax(1) == y).float().mean()
print(f"train accuracy {acc.item():.3f}, model.training={model.training}")


@torch.compile
def gelu_ish(t):
    return 0.5 * t * (1 + torch.tanh(0.7978845608 * (t + 0.044715 * t ** 3)))


print(gelu_ish(torch.linspace(-2, 2, 5)))
try:
    torch.compile(model, mode="fastest")
except RuntimeError as err:
    print("RuntimeError:", err)
