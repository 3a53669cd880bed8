"""get_rng_state / set_rng_state round trips and reseeding."""
import torch

torch.manual_seed(5)
first = torch.rand(3).tolist()
state = torch.get_rng_state()
print(first)
print(state.dtype, state.shape)
after = torch.randn(5).tolist()
print(after)
torch.set_rng_state(state)
again = torch.randn(5).tolist()
print(again)
print("same after restore:", after == again)
torch.manual_seed(5)
print(torch.rand(3).tolist() == first)
print(torch.initial_seed())
# interleaving odd-size randn draws
torch.manual_seed(9)
for n in (1, 2, 3, 15, 16, 17):
    v = torch.randn(n)
    print(n, repr(v.sum().item()), repr(v[-1].item()))
torch.manual_seed(9)
parts = [torch.rand(n) for n in (3, 5, 7)]
print([round(t.sum().item(), 6) for t in parts])
print(repr(parts[2][-1].item()))
s = torch.get_rng_state()
u = torch.rand(20)
torch.set_rng_state(s)
u2 = torch.rand(20)
print(torch.equal(u, u2), repr(u.mean().item()))
torch.manual_seed(2**40 + 17)
print(torch.rand(4).tolist())
print(torch.randn(2, 2, dtype=torch.float64).tolist())
