import torch
torch.manual_seed(0)
a = torch.randn(30, 2, requires_grad=True); b = torch.randn(3, 2, requires_grad=True)
d = torch.cdist(a, b)
print(d[:3], d.grad_fn.name(), d.grad_fn.next_functions[0][0].name())
d.sum().backward(); print(a.grad[:3], b.grad)
sq = ((a[:, None, :] - b[None]) ** 2).sum(-1)
print(torch.allclose(sq.sqrt(), torch.cdist(a, b), atol=1e-5), torch.cdist(a[:5], b).grad_fn.name())
print(torch.cdist(a[:4], b, compute_mode="use_mm_for_euclid_dist").grad_fn.name())
