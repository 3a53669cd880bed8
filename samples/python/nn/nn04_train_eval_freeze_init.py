"""train()/eval(), Dropout, freezing a layer, apply() with nn.init, zero_grad."""
import torch
from torch import nn

torch.manual_seed(3)

model = nn.Sequential(
    nn.Linear(4, 8),
    nn.ReLU(),
    nn.Dropout(p=0.5),
    nn.Linear(8, 2),
)
print(model)
print("training flags:", [m.training for m in model])

x = torch.ones(2, 4)
drop = model[2]
print("\ndropout in train mode:")
print(drop(torch.ones(2, 6)))
model.eval()
print("after eval():", model.training, [m.training for m in model])
print("dropout in eval mode:")
print(drop(torch.ones(2, 6)))
out_a = model(x)
out_b = model(x)
print("eval outputs repeat:", torch.equal(out_a, out_b))
model.train()
print("after train():", model.training)
out_c = model(x)
print("train output:", out_c)


def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.xavier_uniform_(m.weight)
        nn.init.constant_(m.bias, 0.1)
        print("  initialised", m)


print("\napply(init_weights):")
model.apply(init_weights)
print("first layer bias:", model[0].bias)
print("last layer weight:")
print(model[3].weight)

nn.init.zeros_(model[3].bias)
nn.init.normal_(model[3].weight, mean=0.0, std=0.01)
print("normal_ with std 0.01:")
print(model[3].weight)
w = torch.empty(2, 3)
nn.init.kaiming_normal_(w, nonlinearity="relu")
print("kaiming_normal_:", w)
nn.init.ones_(w)
print("ones_:", w)
nn.init.eye_(w)
print("eye_:", w)

print("\nfreeze the first layer:")
model[0].requires_grad_(False)
for name, p in model.named_parameters():
    print(f"  {name}: requires_grad={p.requires_grad}")
trainable = [n for n, p in model.named_parameters() if p.requires_grad]
print("trainable:", trainable)

model.eval()
loss = model(torch.randn(3, 4)).pow(2).sum()
loss.backward()
print("frozen grad:", model[0].weight.grad)
print("last bias grad:", model[3].bias.grad)
model.zero_grad()
print("after zero_grad (set_to_none):", model[3].bias.grad)
loss = model(torch.randn(3, 4)).pow(2).sum()
loss.backward()
model.zero_grad(set_to_none=False)
print("after zero_grad(set_to_none=False):", model[3].bias.grad)

model[0].requires_grad_()
print("unfrozen:", all(p.requires_grad for p in model.parameters()))
