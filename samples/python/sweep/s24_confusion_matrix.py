# Homework: confusion matrix, precision/recall via bincount.
import torch
from torch import nn

torch.manual_seed(24)
C = 4
centers = torch.randn(C, 6) * 2
labels = torch.randint(0, C, (400,))
X = centers[labels] + torch.randn(400, 6)

model = nn.Linear(6, C)
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
for epoch in range(30):
    loss = nn.functional.cross_entropy(model(X), labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
print(f"final loss {loss.item():.4f}")


@torch.no_grad()
def predict(m, x):
    return m(x).argmax(dim=1)


pred = predict(model, X)
print("predict under no_grad decorator requires_grad:", model(X).requires_grad, pred.requires_grad)
cm = torch.bincount(labels * C + pred, minlength=C * C).reshape(C, C)
print(cm)
tp = cm.diag().float()
precision = tp / cm.sum(0).clamp(min=1)
recall = tp / cm.sum(1).clamp(min=1)
f1 = 2 * precision * recall / (precision + recall)
torch.set_printoptions(precision=2)
print("precision", precision)
print("recall   ", recall)
print("f1       ", f1)
print(f"accuracy {tp.sum().item() / len(labels):.3f}")
print("macro f1", f1.mean())
torch.set_printoptions(precision=4)
print(torch.histc(pred.float(), bins=C, min=0, max=C - 1))
print(torch.bincount(torch.tensor([1, 1, 3]), weights=torch.tensor([0.5, 0.25, 2.0])))
