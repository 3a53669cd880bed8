"""Device-agnostic code: torch.device, cuda.is_available(), .to(device), .cpu()."""
import torch

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print("cuda available:", torch.cuda.is_available())
print("device:", device, "| type:", device.type, "| repr:", repr(device))
print(device == torch.device("cpu"), str(device) == "cpu")

x = torch.linspace(-1.0, 1.0, 5).to(device)
w = torch.tensor([0.5], device=device, requires_grad=True)
b = torch.zeros(1).to(device).requires_grad_()
print(x.device, w.device, b.device, w.is_leaf, b.is_leaf)

target = 3.0 * x - 0.5
for step in range(60):
    pred = w * x + b
    loss = ((pred - target) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= 0.1 * w.grad
        b -= 0.1 * b.grad
        w.grad.zero_()
        b.grad.zero_()
    if step % 20 == 0:
        print(f"step {step:2d} loss {loss:.5f}")
print(f"w={w.item():.3f} b={b.item():.3f} | final loss below 1e-3: {loss.item() < 1e-3}")

result = (w * x + b).detach().cpu()
print(result, result.device)
print(result.numpy().round(3).tolist())
same = result.to("cpu")
print(same is result, result.to(torch.float64).dtype, x.to(device, torch.float64).dtype)
cpu_copy = x.cpu()
print(cpu_copy.device.type, cpu_copy.equal(x))
params = {"w": w, "b": b}
moved = {name: p.detach().to(device) for name, p in params.items()}
print({name: tuple(p.shape) for name, p in moved.items()}, all(not p.requires_grad for p in moved.values()))
h = torch.ones(2, 2, device="cpu", dtype=torch.float16)
print(h.dtype, h.float().dtype, h.to(torch.int32))
print(torch.zeros(3, device=device).device.type == device.type)
