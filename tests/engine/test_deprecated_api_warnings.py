# ruff: noqa: E501 - the program and torch's printed lines, verbatim
"""Deprecated APIs old tutorials still call, with torch's warnings where Python reports them:
torch.range, nn.init.xavier_uniform/constant/... (no underscore), nn.utils.clip_grad_norm,
F.upsample/upsample_nearest/upsample_bilinear at the script's line; meshgrid without indexing
(once, at torch/functional.py:504), RNN/LSTM/GRU dropout with one layer (rnn.py's
super().__init__ lines), DataLoader(pin_memory=True) (dataloader.py:759 and 1102), the
mismatched mask types of TransformerEncoder/EncoderLayer/MultiheadAttention and LSTM's
projections, each at torch's own line.

The expected output and stderr were printed by torch 2.13.0+cpu running PROGRAM (its
site-packages path cut to ``torch/...``), never by adcli."""

from __future__ import annotations

from click.testing import CliRunner

from adcli.cli.main import cli

PROGRAM = '''\
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
torch.manual_seed(0)
torch.set_printoptions(precision=10)
print(torch.range(0, 1, 0.1))
print(torch.range(-1, -3, -0.7), torch.range(1, 4, dtype=torch.long))
w = torch.empty(3, 5)
print(nn.init.xavier_uniform(w).sum())
print(nn.init.kaiming_normal(w, mode="fan_out").sum())
print(nn.init.constant(w, 0.5).sum(), nn.init.uniform(w).sum(), nn.init.normal(w).sum())
print(nn.init.eye(w).sum(), nn.init.dirac(torch.empty(2, 2, 3)).sum(), nn.init.sparse(w, 0.5).sum())
print(nn.init.xavier_normal(w).sum(), nn.init.kaiming_uniform(w).sum(), nn.init.orthogonal(w).shape)
p = nn.Parameter(torch.ones(3))
p.grad = torch.ones(3)
print(nn.utils.clip_grad_norm([p], 0.5), p.grad)
img = torch.arange(4.0).view(1, 1, 2, 2)
print(F.upsample(img, scale_factor=2, mode="nearest"))
print(F.upsample_nearest(img, size=3))
print(F.upsample_bilinear(img, scale_factor=2).round(decimals=4))
a, b = torch.meshgrid(torch.arange(2), torch.arange(3))
a, b = torch.meshgrid(torch.arange(2), torch.arange(3))
print(a.tolist(), b.tolist())
print(nn.GRU(3, 4, num_layers=1, dropout=0.2))
print(nn.LSTM(3, 4, dropout=0.5))
print(nn.RNN(3, 4, dropout=0.1, nonlinearity="relu"))
for nw in (0, 2):
    print([b.tolist() for b in DataLoader(list(range(4)), batch_size=2, pin_memory=True, num_workers=nw)])
x = torch.randn(2, 3, 4)
pad = torch.tensor([[False, False, True], [False, True, True]])
causal = torch.zeros(3, 3)
layer = nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0, batch_first=True)
print(layer(x, src_mask=causal, src_key_padding_mask=pad).shape)
enc = nn.TransformerEncoder(layer, 1, enable_nested_tensor=False)
print(enc(x, mask=causal, src_key_padding_mask=pad).shape)
mha = nn.MultiheadAttention(4, 2, batch_first=True)
print(mha(x, x, x, key_padding_mask=pad, attn_mask=causal)[0].shape)
lstm = nn.LSTM(3, 4, proj_size=2)
print(lstm(torch.randn(2, 1, 3))[0].shape)
'''

TORCH_PRINTED = """\
tensor([0.0000000000, 0.1000000015, 0.2000000030, 0.3000000119, 0.4000000060,
        0.5000000000, 0.6000000238, 0.6999999881, 0.8000000119, 0.8999999762,
        1.0000000000])
tensor([-1.0000000000, -1.7000000477, -2.4000000954]) tensor([1, 2, 3, 4])
tensor(-2.3614017963)
tensor(5.8460969925)
tensor(7.5000000000) tensor(8.2050495148) tensor(4.3881034851)
tensor(3.) tensor(2.) tensor(0.0446660668)
tensor(0.4331057072) tensor(-2.7432036400) torch.Size([3, 5])
tensor(1.7320507765) tensor([0.2886749804, 0.2886749804, 0.2886749804])
tensor([[[[0., 0., 1., 1.],
          [0., 0., 1., 1.],
          [2., 2., 3., 3.],
          [2., 2., 3., 3.]]]])
tensor([[[[0., 0., 1.],
          [0., 0., 1.],
          [2., 2., 3.]]]])
tensor([[[[0.0000000000, 0.3332999945, 0.6667000055, 1.0000000000],
          [0.6667000055, 1.0000000000, 1.3332999945, 1.6667000055],
          [1.3332999945, 1.6667000055, 2.0000000000, 2.3333001137],
          [2.0000000000, 2.3333001137, 2.6666998863, 3.0000000000]]]])
[[0, 0, 0], [1, 1, 1]] [[0, 1, 2], [0, 1, 2]]
GRU(3, 4, dropout=0.2)
LSTM(3, 4, dropout=0.5)
RNN(3, 4, dropout=0.1)
[[0, 1], [2, 3]]
[[0, 1], [2, 3]]
torch.Size([2, 3, 4])
torch.Size([2, 3, 4])
torch.Size([2, 3, 4])
torch.Size([2, 1, 2])
"""

TORCH_WARNED = """\
{path}:7: UserWarning: torch.range is deprecated and will be removed in a future release because its behavior is inconsistent with Python's range builtin. Instead, use torch.arange, which produces values in [start, end).
  print(torch.range(0, 1, 0.1))
{path}:8: UserWarning: torch.range is deprecated and will be removed in a future release because its behavior is inconsistent with Python's range builtin. Instead, use torch.arange, which produces values in [start, end).
  print(torch.range(-1, -3, -0.7), torch.range(1, 4, dtype=torch.long))
{path}:10: FutureWarning: `nn.init.xavier_uniform` is now deprecated in favor of `nn.init.xavier_uniform_`.
  print(nn.init.xavier_uniform(w).sum())
{path}:11: FutureWarning: `nn.init.kaiming_normal` is now deprecated in favor of `nn.init.kaiming_normal_`.
  print(nn.init.kaiming_normal(w, mode="fan_out").sum())
{path}:12: FutureWarning: `nn.init.constant` is now deprecated in favor of `nn.init.constant_`.
  print(nn.init.constant(w, 0.5).sum(), nn.init.uniform(w).sum(), nn.init.normal(w).sum())
{path}:12: FutureWarning: `nn.init.uniform` is now deprecated in favor of `nn.init.uniform_`.
  print(nn.init.constant(w, 0.5).sum(), nn.init.uniform(w).sum(), nn.init.normal(w).sum())
{path}:12: FutureWarning: `nn.init.normal` is now deprecated in favor of `nn.init.normal_`.
  print(nn.init.constant(w, 0.5).sum(), nn.init.uniform(w).sum(), nn.init.normal(w).sum())
{path}:13: FutureWarning: `nn.init.eye` is now deprecated in favor of `nn.init.eye_`.
  print(nn.init.eye(w).sum(), nn.init.dirac(torch.empty(2, 2, 3)).sum(), nn.init.sparse(w, 0.5).sum())
{path}:13: FutureWarning: `nn.init.dirac` is now deprecated in favor of `nn.init.dirac_`.
  print(nn.init.eye(w).sum(), nn.init.dirac(torch.empty(2, 2, 3)).sum(), nn.init.sparse(w, 0.5).sum())
{path}:13: FutureWarning: `nn.init.sparse` is now deprecated in favor of `nn.init.sparse_`.
  print(nn.init.eye(w).sum(), nn.init.dirac(torch.empty(2, 2, 3)).sum(), nn.init.sparse(w, 0.5).sum())
{path}:14: FutureWarning: `nn.init.xavier_normal` is now deprecated in favor of `nn.init.xavier_normal_`.
  print(nn.init.xavier_normal(w).sum(), nn.init.kaiming_uniform(w).sum(), nn.init.orthogonal(w).shape)
{path}:14: FutureWarning: `nn.init.kaiming_uniform` is now deprecated in favor of `nn.init.kaiming_uniform_`.
  print(nn.init.xavier_normal(w).sum(), nn.init.kaiming_uniform(w).sum(), nn.init.orthogonal(w).shape)
{path}:14: FutureWarning: `nn.init.orthogonal` is now deprecated in favor of `nn.init.orthogonal_`.
  print(nn.init.xavier_normal(w).sum(), nn.init.kaiming_uniform(w).sum(), nn.init.orthogonal(w).shape)
{path}:17: FutureWarning: `torch.nn.utils.clip_grad_norm` is now deprecated in favor of `torch.nn.utils.clip_grad_norm_`.
  print(nn.utils.clip_grad_norm([p], 0.5), p.grad)
{path}:19: UserWarning: `nn.functional.upsample` is deprecated. Use `nn.functional.interpolate` instead.
  print(F.upsample(img, scale_factor=2, mode="nearest"))
{path}:20: UserWarning: `nn.functional.upsample_nearest` is deprecated. Use `nn.functional.interpolate` instead.
  print(F.upsample_nearest(img, size=3))
{path}:21: UserWarning: `nn.functional.upsample_bilinear` is deprecated. Use `nn.functional.interpolate` instead.
  print(F.upsample_bilinear(img, scale_factor=2).round(decimals=4))
torch/functional.py:504: UserWarning: torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument. (Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/TensorShape.cpp:4215.)
  return _VF.meshgrid(tensors, **kwargs)  # type: ignore[attr-defined]
torch/nn/modules/rnn.py:1358: UserWarning: dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects num_layers greater than 1, but got dropout=0.2 and num_layers=1
  super().__init__("GRU", *args, **kwargs)
torch/nn/modules/rnn.py:1011: UserWarning: dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects num_layers greater than 1, but got dropout=0.5 and num_layers=1
  super().__init__("LSTM", *args, **kwargs)
torch/nn/modules/rnn.py:655: UserWarning: dropout option adds dropout after all but last recurrent layer, so non-zero dropout expects num_layers greater than 1, but got dropout=0.1 and num_layers=1
  super().__init__(mode, *args, **kwargs)
torch/utils/data/dataloader.py:759: UserWarning: 'pin_memory' argument is set as true but no accelerator is found, then device pinned memory won't be used.
  super().__init__(loader)
torch/utils/data/dataloader.py:1102: UserWarning: 'pin_memory' argument is set as true but no accelerator is found, then device pinned memory won't be used.
  super().__init__(loader)
torch/nn/modules/transformer.py:819: UserWarning: Support for mismatched src_key_padding_mask and src_mask is deprecated. Use same type for both instead.
  src_key_padding_mask = F._canonical_mask(
torch/nn/modules/transformer.py:429: UserWarning: Support for mismatched src_key_padding_mask and mask is deprecated. Use same type for both instead.
  src_key_padding_mask = F._canonical_mask(
torch/nn/modules/activation.py:1336: UserWarning: Support for mismatched key_padding_mask and attn_mask is deprecated. Use same type for both instead.
  key_padding_mask = F._canonical_mask(
torch/nn/modules/rnn.py:1164: UserWarning: LSTM with projections is not supported with oneDNN. Using default implementation. (Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/RNN.cpp:1512.)
  result = _VF.lstm(
"""


def test_deprecated_apis_warn_where_torch_does(tmp_path):
    path = tmp_path / "ws.py"
    path.write_text(PROGRAM)
    r = CliRunner().invoke(cli, ["run", str(path)], env={"NO_COLOR": "1"})
    assert r.exit_code == 0, r.stderr
    assert r.stdout == TORCH_PRINTED
    assert r.stderr == TORCH_WARNED.format(path=path)
