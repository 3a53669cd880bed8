import torch, torch.nn.functional as F
torch.manual_seed(0)
x=torch.randn(2,3,5,requires_grad=True); t=torch.randint(0,3,(2,5)); t[0,1]=-100
for red in ['mean','sum','none']:
    l=F.cross_entropy(x,t,reduction=red); print(red, l, l.grad_fn.name(), l.grad_fn.next_functions[0][0].name())
    l.sum().backward(); print(x.grad); x.grad=None
x4=torch.randn(2,3,2,2,requires_grad=True); t4=torch.randint(0,3,(2,2,2))
l=F.cross_entropy(x4,t4, weight=torch.tensor([1.,2.,3.]), label_smoothing=0.1); print(l, l.grad_fn.name()); l.backward(); print(x4.grad)
print(F.nll_loss(F.log_softmax(x4,1),t4,reduction='none'))
