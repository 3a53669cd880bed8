"""backward() on a vector without a gradient argument: the RuntimeError is not caught."""
import torch


def predict(w, x):
    return torch.sigmoid(x * w)


w = torch.tensor([0.5, -0.25, 2.0], requires_grad=True)
x = torch.tensor([1.0, 2.0, 3.0])
loss = (predict(w, x) - 1.0).pow(2).mean()
loss.backward()
print(f"loss {loss.item():.5f}")
print("w.grad:", w.grad)
w.grad = None

per_example = (predict(w, x) - 1.0).pow(2)
print("per example:", per_example)
print("shape:", per_example.shape, "| grad_fn:", type(per_example.grad_fn).__name__)
per_example.backward()
print("unreachable")
