import torch
import torch.optim as optim
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader, TensorDataset
torch.manual_seed(0)
w = torch.randn(3, requires_grad=True)
opt = optim.SGD([w], lr=0.1, momentum=0.9)
sched = StepLR(opt, step_size=2, gamma=0.5)
print(opt)
X = torch.randn(8, 3); y = X @ torch.tensor([1.0, -2.0, 0.5])
loader = DataLoader(TensorDataset(X, y), batch_size=4, shuffle=True)
for epoch in range(3):
    for xb, yb in loader:
        opt.zero_grad()
        loss = ((xb @ w - yb) ** 2).mean()
        loss.backward()
        opt.step()
    sched.step()
    print(epoch, f"{loss.item():.6f}", sched.get_last_lr())
print(w)
print(opt.state_dict()["param_groups"])
print(len(loader), loader.batch_size)
