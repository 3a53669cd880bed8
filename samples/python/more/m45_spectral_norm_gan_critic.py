"""A GAN critic with spectral normalisation: torch.nn.utils.spectral_norm on Conv2d and
Linear (weight_orig, the u/v buffers, power iteration in training only), the newer
parametrizations.spectral_norm, remove_spectral_norm, and a few critic updates."""
import torch
import torch.nn as nn
from torch.nn.utils import parametrizations, remove_spectral_norm, spectral_norm

torch.manual_seed(21)
critic = nn.Sequential(
    spectral_norm(nn.Conv2d(1, 4, 3, stride=2, padding=1)), nn.LeakyReLU(0.2),
    spectral_norm(nn.Conv2d(4, 8, 3, stride=2, padding=1)), nn.LeakyReLU(0.2),
    nn.Flatten(), spectral_norm(nn.Linear(8 * 2 * 2, 1)))
print(critic)
print(list(critic.state_dict().keys()))
print("u", critic[0].weight_u.shape, "v", critic[0].weight_v.shape)
real = torch.randn(6, 1, 8, 8) + 1.0
fake = torch.randn(6, 1, 8, 8)
opt = torch.optim.Adam(critic.parameters(), lr=1e-2, betas=(0.5, 0.9))
for step in range(5):
    opt.zero_grad()
    loss = critic(fake).mean() - critic(real).mean()
    loss.backward()
    opt.step()
    sigma = torch.linalg.matrix_norm(critic[5].weight.detach(), 2).item()
    print(f"step {step} wasserstein {-loss.item():.4f} sigma(last) {sigma:.4f}")
print(critic[0].weight.grad_fn.name(), critic[0].weight_orig.grad.shape)
print([round(v, 4) for v in critic[5].weight_u.tolist()])

critic.eval()
with torch.no_grad():
    before = critic[2].weight_u.clone()
    score = critic(real).mean()
print("eval keeps u:", torch.equal(before, critic[2].weight_u), round(score.item(), 4))

lin = spectral_norm(nn.Linear(3, 3), n_power_iterations=5)
for _ in range(4):
    lin(torch.zeros(1, 3))
print("sigma after power iterations", round(torch.linalg.matrix_norm(lin.weight.detach(), 2).item(), 4))
remove_spectral_norm(lin)
print(lin, list(lin.state_dict().keys()), lin.weight.requires_grad)

p = parametrizations.spectral_norm(nn.Linear(5, 4))
print(p)
print(list(p.state_dict().keys()))
w = p.weight
print(w.grad_fn.name(), round(torch.linalg.matrix_norm(w.detach(), 2).item(), 4))
out = p(torch.randn(2, 5))
out.pow(2).sum().backward()
print(p.parametrizations.weight.original.grad.round(decimals=4))
t = parametrizations.spectral_norm(nn.ConvTranspose2d(2, 3, 3))
print(t.parametrizations.weight[0]._u.shape, t.parametrizations.weight[0]._v.shape)

for bad in (lambda: spectral_norm(critic[0]),
            lambda: spectral_norm(nn.Linear(2, 2), n_power_iterations=0),
            lambda: remove_spectral_norm(nn.Linear(2, 2)),
            lambda: parametrizations.spectral_norm(nn.Linear(2, 2), dim=3)):
    try:
        bad()
    except (RuntimeError, ValueError, IndexError) as e:
        print(type(e).__name__ + ":", str(e).split(" in Linear")[0])
