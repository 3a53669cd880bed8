"""Walk the autograd graph recursively through grad_fn.next_functions."""
import torch
import torch.nn.functional as F


def walk(fn, depth=0):
    if fn is None:
        print("  " * depth + "None")
        return 0
    print("  " * depth + type(fn).__name__)
    count = 1
    for child, _ in fn.next_functions:
        count += walk(child, depth + 1)
    return count


x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
w = torch.tensor([0.5, 0.5, 0.5], requires_grad=True)
bias = torch.tensor(0.1)
z = (x * w).sum() + bias
out = torch.sigmoid(z) ** 2
print("graph of out:")
nodes = walk(out.grad_fn)
print("nodes visited:", nodes)

h = F.relu(x - 1.0)
loss = F.mse_loss(h, torch.zeros(3)) + torch.tanh(w).mean()
print("graph of loss:")
walk(loss.grad_fn)


def op_names(fn):
    names = []
    stack = [fn]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        names.append(node.name())
        stack.extend(child for child, _ in node.next_functions)
    return names


names = op_names(loss.grad_fn)
print(len(names), sorted(set(names)))
print("AccumulateGrad nodes:", names.count("torch::autograd::AccumulateGrad"))
loss.backward()
print("x.grad:", x.grad)
print("w.grad:", w.grad)
first, index = out.grad_fn.next_functions[0]
print(type(first).__name__, index, len(out.grad_fn.next_functions), len(first.next_functions))
y = x.exp().log().sin()
chain = []
node = y.grad_fn
while node is not None and node.next_functions:
    chain.append(type(node).__name__)
    node = node.next_functions[0][0]
print(" <- ".join(chain), "<-", type(node).__name__)
print(hasattr(node, "variable"), node.variable is x)
