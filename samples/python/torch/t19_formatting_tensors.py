"""Putting tensors into text: f-strings, format specs on 0-d tensors, str/repr, tolist."""
import torch

loss = torch.tensor(0.123456789)
acc = torch.tensor(0.875)
step = torch.tensor(42)
vec = torch.tensor([0.5, -1.25, 3.0])

print(f"loss {loss:.4f} | acc {acc:.1%} | step {step:5d}")
print(f"loss {loss.item():.6f} | {loss.item():>12.3e} | {float(loss):g}")
print(f"{loss}")
print(f"{vec}")
print(f"{vec!r}")
print(f"{vec!s}")
print("str:", str(vec), "| repr:", repr(vec))
print(f"{step} {step.item()} {int(step):04d} {step:x}")
print(f"{acc:>10.3f}|{acc:<10.3f}|{acc:^10.3f}|")
print(f"{torch.tensor(1234567.0):,.1f} {torch.tensor(-0.5):+.2f} {torch.tensor(2.0):e}")
print("format():", format(loss, ".2f"), format(step, "03d"))
print("%.3f and %d" % (loss, step))
print("{:.2f} | {:d}".format(acc, step))
try:
    print(f"{vec:.2f}")
except TypeError as err:
    print("TypeError:", err)
print("elements:", ", ".join(f"{v:.2f}" for v in vec.tolist()))
print("per element with item():", [f"{vec[i].item():+.1f}" for i in range(len(vec))])
print("list of 0-d tensors:", list(vec))
print("a 0-d tensor from a vector:", vec[1], vec[1].dim(), vec[1].shape)

history = [torch.tensor(v) for v in (2.5, 1.25, 0.625)]
for epoch, h in enumerate(history):
    print(f"epoch {epoch:>2}: {h:.3f} ({h.item() / history[0].item():6.1%} of start)")
mean_loss = sum(history) / len(history)
print(type(mean_loss).__name__, mean_loss, f"{mean_loss:.4f}")
best = min(history, key=lambda t: t.item())
print("best:", best, best.item())

grad_tensor = torch.tensor([1.0, 2.0], requires_grad=True)
scaled = grad_tensor * 1.5
print(f"{scaled}")
print(f"{scaled.sum():.2f}", scaled.sum(), f"{scaled.detach().sum().item()}")
table = [("w", torch.tensor([1.0, 2.0])), ("bias", torch.tensor([-0.5]))]
print(f"{'name':<6}{'shape':>8}{'norm':>10}")
for name, t in table:
    print(f"{name:<6}{str(tuple(t.shape)):>8}{t.norm().item():>10.4f}")
print(torch.tensor([1.0, 2.0]).dtype, str(torch.float32), torch.int64, torch.Size([2, 3]))
print(f"{torch.Size([2, 3])} {tuple(torch.ones(2, 3).shape)} {list(torch.ones(1, 4).shape)}")
