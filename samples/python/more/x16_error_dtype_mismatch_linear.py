# Data loaded from numpy is float64 while the model's weights are float32.
import numpy as np
import torch
import torch.nn as nn

rng = np.random.default_rng(0)
features = rng.normal(size=(10, 3))
targets = features @ np.array([1.0, -2.0, 0.5])
print(features.dtype, targets.shape)

X = torch.from_numpy(features)
y = torch.from_numpy(targets).unsqueeze(1)
print(X.dtype, y.dtype, X.shape)
torch.manual_seed(0)
model = nn.Linear(3, 1)
print(model.weight.dtype)
print("float() fixes it:", model(X.float()).dtype)
print(f"mse after fix: {nn.functional.mse_loss(model(X.float()), y.float()).item():.4f}")
out = model(X)
print(out)
