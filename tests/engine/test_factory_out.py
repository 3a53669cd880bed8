"""torch's factories with out= (torch.rand(2, 2, out=c) in a public tutorial): the result
written into the given tensor, resized without a warning as torch's factories resize.

The expected output was printed by torch 2.13.0+cpu running PROGRAM, never by adcli."""

from __future__ import annotations

from click.testing import CliRunner

from adcli.cli.main import cli

PROGRAM = '''\
import torch
torch.manual_seed(0)
c = torch.ones(2, 2)
r = torch.zeros(2, 2, out=c)
print(c, r is c)
torch.rand(2, 2, out=c)
print(c)
d = torch.empty(3)
torch.randn(3, out=d); print(d)
e = torch.empty(0)
torch.arange(5, out=e); print(e)
torch.linspace(0, 1, 3, out=e); print(e)
f = torch.empty(2, 2)
torch.full((2, 2), 7.0, out=f); print(f)
torch.eye(2, out=f); print(f)
g = torch.empty(4, dtype=torch.long)
torch.randint(0, 10, (4,), out=g); print(g)
torch.randperm(4, out=g); print(g)
torch.ones(4, out=g); print(g)
'''

TORCH_PRINTED = """\
tensor([[0., 0.],
        [0., 0.]]) True
tensor([[0.4963, 0.7682],
        [0.0885, 0.1320]])
tensor([-2.1788,  0.5684, -1.0845])
tensor([0., 1., 2., 3., 4.])
tensor([0.0000, 0.5000, 1.0000])
tensor([[7., 7.],
        [7., 7.]])
tensor([[1., 0.],
        [0., 1.]])
tensor([6, 9, 8, 6])
tensor([0, 1, 2, 3])
tensor([1, 1, 1, 1])
"""


def test_factories_write_into_out_as_torch(tmp_path):
    path = tmp_path / "out.py"
    path.write_text(PROGRAM)
    r = CliRunner().invoke(cli, ["run", str(path)], env={"NO_COLOR": "1"})
    assert r.exit_code == 0
    assert r.stdout == TORCH_PRINTED
    assert r.stderr == ""
