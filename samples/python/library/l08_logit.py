import torch
x=torch.tensor([0.1,0.5,0.9,0.0,1.0],requires_grad=True)
y=torch.logit(x); print(y, y.grad_fn.name()); y.sum().backward(); print(x.grad)
x.grad=None; y=torch.logit(x, eps=0.2); print(y); y.sum().backward(); print(x.grad)
print(torch.logit(torch.tensor([1,0])), x.logit())
