# ruff: noqa
import copy, torch, torch.nn as nn
torch.manual_seed(0)
mods = [nn.LSTM(3,4,batch_first=True), nn.GRU(3,4), nn.BatchNorm1d(3), nn.Conv2d(1,2,3), nn.Embedding(5,3), nn.LayerNorm(3), nn.Dropout(0.2), nn.MultiheadAttention(4,2), nn.TransformerEncoderLayer(4,2,8), nn.ModuleList([nn.Linear(1,1)]), nn.ModuleDict({'a': nn.Linear(1,1)}), nn.ParameterList([nn.Parameter(torch.ones(1))]), nn.CrossEntropyLoss(), nn.utils.parametrizations.weight_norm(nn.Linear(2,2)) if hasattr(nn.utils,'parametrizations') else nn.Linear(2,2)]
for m in mods:
    try:
        c = copy.deepcopy(m)
        same = any(p is q for p, q in zip(m.parameters(), c.parameters()))
        print(type(c).__name__, same, [torch.equal(p, q) for p, q in zip(m.parameters(), c.parameters())][:3], str(c) == str(m))
    except Exception as e:
        print(type(m).__name__, "ERR", type(e).__name__, e)
bn = nn.BatchNorm1d(3); bn(torch.randn(4,3)); c = copy.deepcopy(bn); print(c.running_mean, c.num_batches_tracked, c.running_mean is bn.running_mean)
lstm = mods[0]; c = copy.deepcopy(lstm); out, _ = c(torch.randn(2,5,3)); print(out.shape)
with torch.no_grad():
    for p in c.parameters(): p.zero_()
print(lstm(torch.ones(1,1,3))[0].abs().sum() > 0)
