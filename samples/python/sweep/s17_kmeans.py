# Homework: k-means clustering with torch ops only.
import torch

torch.manual_seed(17)
centers_true = torch.tensor([[0.0, 0.0], [5.0, 5.0], [-4.0, 6.0]])
pts = torch.cat([c + torch.randn(40, 2) for c in centers_true])
print("data:", pts.shape)

k = 3
perm = torch.randperm(pts.shape[0])
centroids = pts[perm[:k]].clone()
print("init centroids:\n", centroids)

for it in range(20):
    dists = torch.cdist(pts, centroids)
    assign = dists.argmin(dim=1)
    new = torch.stack([pts[assign == j].mean(dim=0) for j in range(k)])
    shift = (new - centroids).norm(dim=1).max().item()
    centroids = new
    inertia = dists.gather(1, assign[:, None]).pow(2).sum().item()
    print(f"iter {it}: inertia={inertia:.3f} shift={shift:.4f}")
    if shift < 1e-5:
        break

order = torch.argsort(centroids[:, 0])
print("sorted centroids:\n", centroids[order])
counts = torch.bincount(assign, minlength=k)
print("cluster sizes:", counts.tolist())
print("unique labels:", torch.unique(assign))
vals, cnts = torch.unique(assign, return_counts=True)
print(vals, cnts)
sq = ((pts[:, None, :] - centroids[None, :, :]) ** 2).sum(-1)
print("cdist agrees:", torch.allclose(sq.sqrt(), torch.cdist(pts, centroids), atol=1e-5))
