# Homework: backprop through a 2-layer MLP by hand, then compare with autograd.
import torch

torch.manual_seed(13)
N, D_in, H, D_out = 8, 5, 6, 3
X = torch.randn(N, D_in)
Y = torch.randn(N, D_out)
W1 = torch.randn(D_in, H) * 0.5
b1 = torch.zeros(H)
W2 = torch.randn(H, D_out) * 0.5
b2 = torch.zeros(D_out)

# forward
z1 = X @ W1 + b1
h1 = torch.clamp(z1, min=0)
out = h1 @ W2 + b2
loss = ((out - Y) ** 2).mean()

# backward by hand
dout = 2 * (out - Y) / out.numel()
dW2 = h1.t() @ dout
db2 = dout.sum(0)
dh1 = dout @ W2.t()
dz1 = dh1.clone()
dz1[z1 < 0] = 0
dW1 = X.t() @ dz1
db1 = dz1.sum(0)

params = [t.clone().requires_grad_(True) for t in (W1, b1, W2, b2)]
aW1, ab1, aW2, ab2 = params
aloss = ((torch.relu(X @ aW1 + ab1) @ aW2 + ab2 - Y) ** 2).mean()
aloss.backward()

print(f"loss (manual) {loss.item():.6f}  loss (autograd) {aloss.item():.6f}")
for name, mine, p in zip(["W1", "b1", "W2", "b2"], [dW1, db1, dW2, db2], params):
    err = (mine - p.grad).abs().max().item()
    print(f"{name:>3}: shape={tuple(mine.shape)} max abs diff={err:.2e} ok={torch.allclose(mine, p.grad, atol=1e-6)}")

rel = torch.linalg.norm(dW1 - aW1.grad) / torch.linalg.norm(dW1 + aW1.grad)
print("relative error W1 < 1e-6:", rel.item() < 1e-6)
torch.set_printoptions(precision=3)
print(dW2)
print(ab2.grad)
torch.set_printoptions(profile="default")
print(db2)
