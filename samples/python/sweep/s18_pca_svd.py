# Homework: PCA via SVD, eigh, and pca_lowrank.
import torch

torch.manual_seed(18)
n = 100
latent = torch.randn(n, 2)
mix = torch.tensor([[3.0, 1.0, 0.5], [0.0, 1.0, -1.0]])
X = latent @ mix + 0.05 * torch.randn(n, 3)
Xc = X - X.mean(dim=0)

U, S, Vh = torch.linalg.svd(Xc, full_matrices=False)
print("U", U.shape, "S", S.shape, "Vh", Vh.shape)
explained = S ** 2 / (S ** 2).sum()
print("explained variance ratio:", [f"{v:.4f}" for v in explained.tolist()])
print("first two explain > 99%:", explained[:2].sum().item() > 0.99)

cov = Xc.T @ Xc / (n - 1)
evals, evecs = torch.linalg.eigh(cov)
print("eigenvalues ascending:", evals.shape, bool((evals[1:] >= evals[:-1]).all()))
print("sv^2/(n-1) matches eig:", torch.allclose((S ** 2 / (n - 1)).flip(0), evals, rtol=1e-4, atol=1e-5))
pc1 = Vh[0]
e1 = evecs[:, -1]
print("pc1 parallel to top eigvec:", round(abs(torch.dot(pc1, e1).item()), 4))

Z = Xc @ Vh[:2].T
recon = Z @ Vh[:2]
err = (recon - Xc).pow(2).mean().item()
print(f"reconstruction mse small: {err < 0.01}")

U2, S2, V2 = torch.pca_lowrank(X, q=2)
print("pca_lowrank shapes:", tuple(U2.shape), tuple(S2.shape), tuple(V2.shape))
print("lowrank singular values close:", torch.allclose(S2, S[:2], rtol=1e-3))
print("cov via torch.cov:", torch.allclose(torch.cov(X.T), cov, atol=1e-5))
print("rank:", torch.linalg.matrix_rank(Xc).item())
