import torch
print(torch.get_default_dtype())
torch.set_default_dtype(torch.float64)
x = torch.tensor([1.5, 2.0])
print(x, x.dtype, torch.ones(2), torch.randn(2).dtype, torch.arange(3.0), torch.tensor([1, 2]) * 0.5)
print(torch.tensor([1.0], dtype=torch.float32), torch.zeros(0), torch.zeros(0, dtype=torch.float32))
print(torch.sqrt(torch.tensor([4])), torch.nn.Linear(2, 1).weight.dtype, torch.linspace(0, 1, 3))
try:
    torch.set_default_dtype(torch.int64)
except TypeError as e:
    print("TypeError:", e)
torch.set_default_dtype(torch.float32)
print(torch.tensor([1.5]), torch.tensor([1.5], dtype=torch.float64))
