# Pruning a small LeNet-style model with torch.nn.utils.prune and measuring sparsity.
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.nn.utils.prune as prune

torch.manual_seed(0)


class LeNetish(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3)
        self.conv2 = nn.Conv2d(4, 8, 3)
        self.fc1 = nn.Linear(8 * 2 * 2, 16)
        self.fc2 = nn.Linear(16, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.relu(self.conv2(x))
        x = x.view(x.size(0), -1)
        return self.fc2(F.relu(self.fc1(x)))


def sparsity(t):
    return 100.0 * float(torch.sum(t == 0)) / float(t.nelement())


model = LeNetish()
x = torch.randn(2, 1, 10, 10)
print("output:", model(x).shape)
module = model.conv1
print("before:", [n for n, _ in module.named_parameters()], [n for n, _ in module.named_buffers()])

prune.random_unstructured(module, name="weight", amount=0.3)
print("after:", [n for n, _ in module.named_parameters()], [n for n, _ in module.named_buffers()])
print("mask sum:", int(module.weight_mask.sum()), "of", module.weight_mask.numel())
print("weight == orig * mask:", torch.equal(module.weight, module.weight_orig * module.weight_mask))
print("hooks:", len(module._forward_pre_hooks))

prune.l1_unstructured(module, name="bias", amount=2)
print("bias:", module.bias)

# iterative pruning: the masks combine
prune.ln_structured(module, name="weight", amount=0.5, n=2, dim=0)
print("channels kept:", (module.weight.abs().sum(dim=(1, 2, 3)) > 0).tolist())
print(f"conv1.weight sparsity: {sparsity(module.weight):.2f}%")
for hook in module._forward_pre_hooks.values():
    if hook._tensor_name == "weight":
        print(type(hook).__name__, [type(h).__name__ for h in hook])

prune.remove(module, "weight")
print("after remove:", [n for n, _ in module.named_parameters()], [n for n, _ in module.named_buffers()])

# global pruning across several layers
parameters_to_prune = (
    (model.conv2, "weight"),
    (model.fc1, "weight"),
    (model.fc2, "weight"),
)
prune.global_unstructured(parameters_to_prune, pruning_method=prune.L1Unstructured, amount=0.4)
for m, name in parameters_to_prune:
    print(f"{name} of {type(m).__name__}({m.weight.shape[0]}): {sparsity(m.weight):.2f}%")
total_zero = sum(float(torch.sum(m.weight == 0)) for m, _ in parameters_to_prune)
total = sum(m.weight.nelement() for m, _ in parameters_to_prune)
print(f"global sparsity: {100.0 * total_zero / total:.2f}%")
print("state_dict keys:", [k for k in model.state_dict() if k.startswith("fc2")])

print("is_pruned:", prune.is_pruned(model))
out = model(x)
out.sum().backward()
print("orig grad is masked:", bool((model.fc2.weight_orig.grad[model.fc2.weight_mask == 0] == 0).all()))


class ThresholdPruning(prune.BasePruningMethod):
    PRUNING_TYPE = "unstructured"

    def __init__(self, threshold):
        self.threshold = threshold

    def compute_mask(self, tensor, default_mask):
        return default_mask * (tensor.abs() > self.threshold)


lin = nn.Linear(4, 3)
ThresholdPruning.apply(lin, "weight", threshold=0.3)
print(lin.weight_mask)
print(f"custom sparsity: {sparsity(lin.weight):.2f}%")
