# Plotting-style code calls .numpy() on a prediction that is still part of the graph.
import numpy as np
import torch

torch.manual_seed(0)
x = torch.linspace(0, 1, 5)
w = torch.randn(1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
pred = w * x + b
print("pred:", pred)
print("detached copy:", np.round(pred.detach().numpy(), 3))
print("via tolist:", [round(v, 3) for v in pred.tolist()])
with torch.no_grad():
    print("no_grad numpy:", np.round((w * x + b).numpy(), 3))
err = np.abs(pred.numpy() - np.sin(x.numpy()))  # forgot .detach()
print("max error:", err.max())
