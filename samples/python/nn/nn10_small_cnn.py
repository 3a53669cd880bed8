"""A small CNN on random 1x8x8 "images": shapes through the network and a few SGD steps."""
import torch
from torch import nn

torch.manual_seed(10)


class TinyCNN(nn.Module):
    def __init__(self, n_classes=3):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 4, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(4, 8, kernel_size=3),
            nn.ReLU(),
        )
        self.classifier = nn.Sequential(
            nn.Flatten(),
            nn.Linear(8 * 2 * 2, n_classes),
        )

    def forward(self, x):
        return self.classifier(self.features(x))


model = TinyCNN()
print(model)
for name, p in model.named_parameters():
    print(f"  {name:<22} {tuple(p.shape)}")
print("total:", sum(p.numel() for p in model.parameters()))

images = torch.randn(6, 1, 8, 8)
labels = torch.tensor([0, 1, 2, 0, 1, 2])
# make the classes separable: brighten a different quarter of each class
images[labels == 0, :, :4, :4] += 2.0
images[labels == 1, :, 4:, 4:] += 2.0
images[labels == 2, :, :4, 4:] += 2.0

print("\nshapes through the network:")
h = images
for layer in list(model.features) + list(model.classifier):
    h = layer(h)
    print(f"  {type(layer).__name__:<10} -> {tuple(h.shape)}  {h.grad_fn.name()}")

print("\nfirst conv kernel (channel 0):")
print(model.features[0].weight[0, 0])
print("conv bias:", model.features[0].bias)

criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
for step in range(8):
    logits = model(images)
    loss = criterion(logits, labels)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print(f"step {step}  loss {loss.item():.4f}  predictions {logits.argmax(1).tolist()}")

with torch.no_grad():
    logits = model(images)
print("\nfinal logits:")
print(logits)
print("accuracy:", (logits.argmax(1) == labels).float().mean().item())
print("conv grad norm:", f"{model.features[0].weight.grad.norm().item():.4f}")
print("feature map of image 0, channel 0 after pooling:")
with torch.no_grad():
    print(model.features[:3](images[:1])[0, 0])
