"""CTC: a small frame classifier (Linear + log_softmax over T frames) trained to emit
label sequences without alignments; nn.CTCLoss's reductions, padded and concatenated
targets, zero_infinity, unbatched input, greedy decoding and errors."""
import torch
import torch.nn as nn

torch.manual_seed(3)
T, N, C, F_IN = 10, 3, 5, 6  # frames, batch, classes (0 is blank), features
frames = torch.randn(T, N, F_IN)
targets = torch.tensor([[1, 2, 2, 3], [4, 1, 0, 0], [3, 3, 1, 0]])
target_lengths = torch.tensor([4, 2, 3])
input_lengths = torch.tensor([10, 8, 9])

model = nn.Sequential(nn.Linear(F_IN, 16), nn.Tanh(), nn.Linear(16, C))
ctc = nn.CTCLoss(blank=0)
print(model)
print(ctc, ctc.blank, ctc.reduction, ctc.zero_infinity)
opt = torch.optim.Adam(model.parameters(), lr=0.05)
for step in range(8):
    opt.zero_grad()
    log_probs = model(frames).log_softmax(2)
    loss = ctc(log_probs, targets, input_lengths, target_lengths)
    loss.backward()
    opt.step()
    print(f"step {step} loss {loss.item():.3f}")
print(loss.grad_fn.name(), loss.grad_fn.next_functions[0][0].name())


def greedy(lp, length):
    best = lp[:length].argmax(-1).tolist()
    out, prev = [], None
    for k in best:
        if k != prev and k != 0:
            out.append(k)
        prev = k
    return out


with torch.no_grad():
    lp = model(frames).log_softmax(2)
for b in range(N):
    print("decoded", b, greedy(lp[:, b], input_lengths[b]))

# the same losses per sample, summed, and with concatenated targets
lp = lp.clone().requires_grad_()
per = nn.CTCLoss(reduction="none")(lp, targets, input_lengths, target_lengths)
print("none", [round(v, 3) for v in per.tolist()], per.grad_fn.name())
total = nn.CTCLoss(reduction="sum")(lp, targets, input_lengths, target_lengths)
print("sum", round(total.item(), 3), total.grad_fn.name())
flat = torch.cat([targets[b, :target_lengths[b]] for b in range(N)])
mean = nn.CTCLoss()(lp, flat, tuple(input_lengths.tolist()), tuple(target_lengths.tolist()))
print("mean", round(mean.item(), 3))
mean.backward()
print("grad rows sum to ~0:", bool(lp.grad.sum(-1).abs().max() < 1e-5))
print("frames past the length get no gradient:", lp.grad[9, 1].abs().sum().item())

# a target that cannot fit: infinite loss unless zero_infinity
short = torch.tensor([2, 2, 2])
inf_loss = nn.CTCLoss(reduction="none")(lp[:, :1], targets[:1], short[:1], target_lengths[:1])
print(inf_loss)
zero = nn.CTCLoss(reduction="none", zero_infinity=True)(lp[:, :1], targets[:1], short[:1],
                                                       target_lengths[:1])
print(zero, zero.grad_fn.name())
# unbatched (T, C) input
one = nn.CTCLoss()(lp[:, 0].detach(), targets[0], torch.tensor(10), torch.tensor(4))
print("unbatched", round(one.item(), 3))

for bad in (lambda: ctc(lp, targets, input_lengths, torch.tensor([4, 2, 5])),
            lambda: ctc(lp, targets, torch.tensor([11, 8, 9]), target_lengths),
            lambda: ctc(lp, targets, input_lengths[:2], target_lengths),
            lambda: nn.CTCLoss(blank=7)(lp, targets, input_lengths, target_lengths)):
    try:
        bad()
    except RuntimeError as e:
        print("RuntimeError:", e)
