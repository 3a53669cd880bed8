# A small CNN that tells horizontal bars from vertical bars (synthetic 12x12 images).
# In the style of the "Training a classifier" tutorial, on data we make ourselves.
import random

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def set_seed(seed):
    """The usual reproducibility helper from course starter code."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.cuda.manual_seed_all(seed)
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False


set_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print("device:", device, "cudnn enabled:", torch.backends.cudnn.enabled)


def make_images(n):
    images = torch.zeros(n, 1, 12, 12)
    labels = torch.randint(0, 2, (n,))
    for i in range(n):
        pos = torch.randint(2, 10, (1,)).item()
        if labels[i] == 0:
            images[i, 0, pos, :] = 1.0
        else:
            images[i, 0, :, pos] = 1.0
    images += 0.1 * torch.randn_like(images)
    return images, labels


class SmallCNN(nn.Module):
    def __init__(self, num_classes=2):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, kernel_size=3, padding=1)
        self.bn1 = nn.BatchNorm2d(4)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(4, 8, kernel_size=3)
        self.drop = nn.Dropout(p=0.25)
        self.fc = nn.Linear(8 * 2 * 2, num_classes)

    def forward(self, x):
        x = self.pool(F.relu(self.bn1(self.conv1(x))))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        x = self.drop(x)
        return self.fc(x)


train_x, train_y = make_images(64)
test_x, test_y = make_images(32)
print("train:", train_x.shape, train_y.shape, "positives:", train_y.sum().item())

model = SmallCNN().to(device)
print(model)
n_params = sum(p.numel() for p in model.parameters() if p.requires_grad)
print(f"trainable parameters: {n_params}")

criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)


def accuracy(logits, y):
    return (logits.argmax(dim=1) == y).float().mean().item()


for epoch in range(5):
    model.train()
    perm = torch.randperm(train_x.size(0))
    running = 0.0
    for start in range(0, 64, 16):
        idx = perm[start:start + 16]
        optimizer.zero_grad()
        out = model(train_x[idx])
        loss = criterion(out, train_y[idx])
        loss.backward()
        optimizer.step()
        running += loss.item()
    model.eval()
    with torch.no_grad():
        test_logits = model(test_x)
        test_loss = criterion(test_logits, test_y).item()
    print(f"epoch {epoch + 1}: train loss {running / 4:.4f}  test loss {test_loss:.4f}  "
          f"test acc {accuracy(test_logits, test_y) * 100:.1f}%")

print("running_mean:", model.bn1.running_mean.numpy().round(3))
print("num_batches_tracked:", model.bn1.num_batches_tracked)

# eval mode is deterministic, train mode is not (dropout + batch statistics)
model.eval()
a = model(test_x[:4])
b = model(test_x[:4])
print("eval deterministic:", torch.equal(a, b))
model.train()
c = model(test_x[:4])
print("train differs from eval:", not torch.allclose(a, c))

with torch.no_grad():
    probs = F.softmax(model.eval()(test_x[:6]), dim=1)
print("probabilities:\n", probs.round(decimals=3))
print("predictions:", probs.argmax(1).tolist(), "truth:", test_y[:6].tolist())

# per-class accuracy, as in the tutorial
correct = {0: 0, 1: 0}
total = {0: 0, 1: 0}
with torch.no_grad():
    preds = model(test_x).argmax(1)
for label, pred in zip(test_y, preds):
    total[label.item()] += 1
    correct[label.item()] += int(label == pred)
for cls, name in enumerate(["horizontal", "vertical"]):
    print(f"Accuracy for class: {name:10s} is {100 * correct[cls] / total[cls]:.1f} %")
