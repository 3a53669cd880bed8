"""k-means and PCA written with plain torch ops (homework style)."""
import torch

torch.manual_seed(11)

true_centers = torch.tensor([[0.0, 0.0], [5.0, 5.0], [0.0, 6.0]])
X = torch.cat([c + torch.randn(40, 2) for c in true_centers])
print("X:", X.shape)


def kmeans(X, k, n_iter=20, seed=0):
    g = torch.Generator().manual_seed(seed)
    idx = torch.randperm(X.shape[0], generator=g)[:k]
    C = X[idx].clone()
    for it in range(n_iter):
        d = torch.cdist(X, C)                 # (N, k)
        assign = d.argmin(dim=1)
        newC = torch.stack([X[assign == j].mean(dim=0) for j in range(k)])
        shift = (newC - C).norm()
        C = newC
        if shift < 1e-6:
            break
    inertia = ((X - C[assign]) ** 2).sum()
    return C, assign, inertia, it + 1


C, assign, inertia, iters = kmeans(X, 3)
order = torch.argsort(C[:, 0] * 10 + C[:, 1])
print(f"converged in {iters} iterations, inertia={inertia:.4f}")
print("centers:\n", C[order].round(decimals=2))
print("cluster sizes:", torch.bincount(assign, minlength=3).tolist())
counts = torch.bincount(assign)
print("largest cluster:", counts.max().item(), "at", counts.argmax().item())

# ---------- PCA ----------
Y = torch.randn(200, 3) @ torch.tensor([[3.0, 0.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 0.2]])
Yc = Y - Y.mean(dim=0, keepdim=True)
cov = Yc.T @ Yc / (Yc.shape[0] - 1)
print("cov diag:", [f"{v:.3f}" for v in torch.diagonal(cov).tolist()])
print("trace:", f"{torch.trace(cov).item():.3f}")

U, S, Vh = torch.linalg.svd(Yc, full_matrices=False)
explained = S ** 2 / (S ** 2).sum()
print("explained variance ratio:", [round(v, 3) for v in explained.tolist()])
print("cumulative:", [round(v, 3) for v in explained.cumsum(0).tolist()])
Z = Yc @ Vh[:2].T
print("projected:", tuple(Z.shape), "var of PCs:", [round(v, 2) for v in Z.var(dim=0).tolist()])
recon = Z @ Vh[:2]
print(f"reconstruction mse: {((recon - Yc) ** 2).mean():.4f}")
print("components orthonormal:", torch.allclose(Vh @ Vh.T, torch.eye(3), atol=1e-5))
