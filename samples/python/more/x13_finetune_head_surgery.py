# Fine-tuning a "pretrained" backbone: freeze it, cut off and replace the head,
# train only the new layers, then wrap the model. Module surgery as in the
# transfer-learning tutorials.
import copy
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)


class TinyNet(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1),
        )
        self.flatten = nn.Flatten()
        self.fc = nn.Linear(8, num_classes)

    def forward(self, x):
        return self.fc(self.flatten(self.features(x)))


pretrained = TinyNet()
checkpoint = copy.deepcopy(pretrained.state_dict())
print("checkpoint keys:", list(checkpoint)[:4], "...", len(checkpoint))

model = TinyNet()
model.load_state_dict(checkpoint)
print("loaded equal:", torch.equal(model.fc.weight, pretrained.fc.weight))

for p in model.parameters():
    p.requires_grad = False
model.fc = nn.Linear(model.fc.in_features, 3)  # new head, trainable
total = sum(p.numel() for p in model.parameters())
trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
print(f"total {total}, trainable {trainable} ({100 * trainable / total:.1f}%)")
print(model.fc)

opt = torch.optim.SGD(filter(lambda p: p.requires_grad, model.parameters()), lr=0.1)
print("param groups:", len(opt.param_groups), [p.shape for p in opt.param_groups[0]["params"]])

x = torch.randn(6, 3, 5, 5)
y = torch.tensor([0, 1, 2, 0, 1, 2])
model.train()
model.features[1].eval()  # keep the frozen batch norm statistics
before = model.features[1].running_mean.clone()
for step in range(3):
    opt.zero_grad()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    opt.step()
    print(f"step {step} loss {loss.item():.4f}")
print("bn stats unchanged:", torch.equal(before, model.features[1].running_mean))
print("backbone grads:", [p.grad for p in model.features.parameters()][:2])

# feature extractor: everything but the head
extractor = nn.Sequential(*list(model.children())[:-1])
print(extractor)
print("features:", extractor(x).shape)

# the same by replacing the head with Identity
model2 = copy.deepcopy(model)
model2.fc = nn.Identity()
print("identity head:", torch.allclose(model2(x), extractor(x)))

# differential learning rates for backbone and head
for p in model.parameters():
    p.requires_grad = True
opt = torch.optim.Adam([
    {"params": model.features.parameters(), "lr": 1e-4},
    {"params": model.fc.parameters()},
], lr=1e-2)
print([g["lr"] for g in opt.param_groups], [len(g["params"]) for g in opt.param_groups])

# removing layers from containers
layers = nn.Sequential(nn.Linear(4, 4), nn.ReLU(), nn.Dropout(0.5), nn.Linear(4, 2))
del layers[2]
print(layers)
heads = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
del heads[0]
print(len(heads))
named = nn.ModuleDict({"a": nn.ReLU(), "b": nn.Tanh()})
del named["a"]
print(list(named.keys()))
del model2.fc
print([name for name, _ in model2.named_children()])


class Wrapped(nn.Module):
    """Forwards unknown attributes to the wrapped model (as DataParallel users expect)."""

    def __init__(self, module):
        super().__init__()
        self.module = module

    def forward(self, *args):
        return self.module(*args)

    def __getattr__(self, name):
        try:
            return super().__getattr__(name)
        except AttributeError:
            return getattr(self.module, name)


wrapped = Wrapped(model)
print(wrapped.fc)
print("state_dict prefix:", list(wrapped.state_dict())[0])
clean = {k.removeprefix("module."): v for k, v in wrapped.state_dict().items()}
print(TinyNet(3).load_state_dict(clean))


# older tutorials call the base classes explicitly
class Adapter(nn.Module):
    def __init__(self, dim):
        nn.Module.__init__(self)
        self.down = nn.Linear(dim, 2)
        self.up = nn.Linear(2, dim)

    def forward(self, x):
        return x + self.up(F.relu(self.down(x)))


class ScaledHead(nn.Linear):
    def forward(self, x):
        return nn.Linear.forward(self, x) * 0.5


adapter = Adapter(8)
print(adapter)
print("adapter params:", sum(p.numel() for p in nn.Module.parameters(adapter)))
head = ScaledHead(8, 3)
feats = extractor(x)
print(torch.allclose(head(adapter(feats)), F.linear(adapter(feats), head.weight, head.bias) * 0.5))
