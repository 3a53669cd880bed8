# A small CNN on random 28x28 "digits" where the label is the brightest quadrant.
import torch
from torch import nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(28)
N = 256
imgs = torch.rand(N, 1, 28, 28) * 0.3
labels = torch.randint(0, 4, (N,))
for i in range(N):
    q = labels[i].item()
    r, c = divmod(q, 2)
    imgs[i, 0, r * 14:(r + 1) * 14, c * 14:(c + 1) * 14] += 0.5
loader = DataLoader(TensorDataset(imgs, labels), batch_size=64, shuffle=True)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(4, 8, 5)
        self.dropout = nn.Dropout(0.25)
        self.fc1 = nn.Linear(8 * 4 * 4, 32)
        self.fc2 = nn.Linear(32, 4)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        x = self.dropout(F.relu(self.fc1(x)))
        return self.fc2(x)


net = Net()
print(net)
opt = torch.optim.Adam(net.parameters(), lr=3e-3)
for epoch in range(4):
    net.train()
    running = 0.0
    for i, (x, y) in enumerate(loader):
        opt.zero_grad()
        out = net(x)
        loss = F.cross_entropy(out, y)
        loss.backward()
        opt.step()
        running += loss.item()
    print(f"[{epoch + 1}] loss: {running / len(loader):.3f}")

net.eval()
correct, total = 0, 0
with torch.no_grad():
    for x, y in DataLoader(TensorDataset(imgs, labels), batch_size=128):
        _, predicted = torch.max(net(x), 1)
        total += y.size(0)
        correct += (predicted == y).sum().item()
print(f"Accuracy of the network: {100 * correct // total} %")
print(F.max_pool2d(torch.arange(16.).view(1, 1, 4, 4), 2))
print(F.avg_pool2d(torch.arange(16.).view(1, 1, 4, 4), 2, stride=1).shape)
print(nn.Conv2d(3, 6, 3, stride=2, padding=1)(torch.zeros(1, 3, 9, 9)).shape)
