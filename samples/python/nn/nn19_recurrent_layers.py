"""RNN, LSTM and GRU: parameter shapes, output shapes, hidden states, and a sequence regressor."""
import torch
from torch import nn

torch.manual_seed(19)

seq_len, batch, d_in, d_hid = 5, 2, 3, 4
x = torch.randn(seq_len, batch, d_in)

rnn = nn.RNN(d_in, d_hid)
print(rnn)
for name, p in rnn.named_parameters():
    print(f"  {name:<14} {tuple(p.shape)}")
out, h_n = rnn(x)
print("output:", tuple(out.shape), "h_n:", tuple(h_n.shape), out.grad_fn.name())
print("last output equals h_n:", torch.allclose(out[-1], h_n[0]))
print("h_n:", h_n)

# one step of the Elman recurrence by hand
h = torch.zeros(batch, d_hid)
for t in range(seq_len):
    h = torch.tanh(x[t] @ rnn.weight_ih_l0.T + rnn.bias_ih_l0 + h @ rnn.weight_hh_l0.T + rnn.bias_hh_l0)
print("hand-written recurrence matches:", torch.allclose(h, h_n[0], atol=1e-6))

lstm = nn.LSTM(d_in, d_hid, num_layers=2, batch_first=True)
print("\n", lstm, sep="")
print("parameter shapes:", [tuple(p.shape) for p in lstm.parameters()][:4])
xb = x.transpose(0, 1)
out, (h_n, c_n) = lstm(xb)
print("batch_first output:", tuple(out.shape), "h_n:", tuple(h_n.shape), "c_n:", tuple(c_n.shape))
print("top-layer final hidden state:")
print(h_n[-1])
print("cell state layer 0:")
print(c_n[0])

gru = nn.GRU(d_in, d_hid, bidirectional=True)
print("\n", gru, sep="")
h0 = torch.zeros(2, batch, d_hid)
out, h_n = gru(x, h0)
print("bidirectional output:", tuple(out.shape), "h_n:", tuple(h_n.shape))
print("forward half of the last step equals h_n[0]:", torch.allclose(out[-1, :, :d_hid], h_n[0]))
print("backward half of the first step equals h_n[1]:", torch.allclose(out[0, :, d_hid:], h_n[1]))
print("first output row:", out[0, 0])

cell = nn.LSTMCell(d_in, d_hid)
hx, cx = torch.zeros(batch, d_hid), torch.zeros(batch, d_hid)
for t in range(seq_len):
    hx, cx = cell(x[t], (hx, cx))
print("\nLSTMCell after the sequence:", tuple(hx.shape), hx.grad_fn.name())


class SumRegressor(nn.Module):
    def __init__(self):
        super().__init__()
        self.gru = nn.GRU(1, 8, batch_first=True)
        self.head = nn.Linear(8, 1)

    def forward(self, seq):
        _, h = self.gru(seq)
        return self.head(h[-1]).squeeze(-1)


model = SumRegressor()
opt = torch.optim.Adam(model.parameters(), lr=0.02)
data = torch.rand(64, 6, 1)
target = data.sum(dim=(1, 2))
for step in range(60):
    loss = nn.functional.mse_loss(model(data), target)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 20 == 0 or step == 59:
        print(f"step {step:2d}  loss {loss.item():.4f}")
probe = torch.full((1, 6, 1), 0.5)
print(f"sum of six halves predicted as {model(probe).item():.2f} (true 3.00)")
