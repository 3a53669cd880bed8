import torch, torch.nn as nn
torch.manual_seed(0)
net = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))
sd = net.state_dict()
partial = {k: v for k, v in sd.items() if k.startswith("0.")}
print(net.load_state_dict(partial, strict=False))
del sd["1.num_batches_tracked"]
print(net.load_state_dict(sd, strict=False))
import collections
od = collections.OrderedDict(net.state_dict())
del od["1.num_batches_tracked"]
print(net.load_state_dict(od, strict=False))
torch.save(net.state_dict(), "/tmp/adcli_sample_bn.pt")
sd2 = torch.load("/tmp/adcli_sample_bn.pt"); del sd2["1.num_batches_tracked"]
print(net.load_state_dict(sd2, strict=False))
