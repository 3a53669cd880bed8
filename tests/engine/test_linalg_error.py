# ruff: noqa: E501 - the program and torch's printed lines, verbatim
"""torch.linalg.LinAlgError (torch._C._LinAlgError, a RuntimeError): raised by inv/inverse
(the first zero pivot of the LU, per batch element), cholesky (the failing leading minor) and
solve on singular input, in torch's words; an uncaught one ends stderr with its qualified name.

The expected output was printed by torch 2.13.0+cpu running PROGRAM under CPython 3.11,
never by adcli."""

from __future__ import annotations

from click.testing import CliRunner

from adcli.cli.main import cli

PROGRAM = '''\
import torch
A = torch.tensor([[1., 2.], [2., 4.]])
B = torch.tensor([[1., 0., 0.], [0., 1., 0.], [0., 0., 0.]])
print(torch.linalg.LinAlgError, issubclass(torch.linalg.LinAlgError, RuntimeError))
for name, f in [("inv", lambda: torch.linalg.inv(A)), ("inv3", lambda: torch.linalg.inv(B)), ("inverse", lambda: torch.inverse(B)), ("Tinv", lambda: B.inverse()),
                ("cholesky", lambda: torch.linalg.cholesky(A)), ("cholesky_neg", lambda: torch.linalg.cholesky(-torch.eye(3))), ("tcholesky", lambda: torch.cholesky(B)),
                ("solve", lambda: torch.linalg.solve(B, torch.ones(3))), ("solve2", lambda: torch.linalg.solve(A, torch.ones(2, 1))),
                ("binv", lambda: torch.linalg.inv(torch.stack([torch.eye(2), A]))), ("zeros", lambda: torch.linalg.inv(torch.zeros(3, 3)))]:
    try:
        f()
        print(name, "OK")
    except torch.linalg.LinAlgError as e:
        print(name, type(e).__name__, e)
    except RuntimeError as e:
        print(name, "RT", type(e).__name__, e)
torch.linalg.inv(B)
'''

TORCH_PRINTED = """\
<class 'torch._C._LinAlgError'> True
inv _LinAlgError linalg.inv: The diagonal element 2 is zero, the inversion could not be completed because the input matrix is singular.
inv3 _LinAlgError linalg.inv: The diagonal element 3 is zero, the inversion could not be completed because the input matrix is singular.
inverse _LinAlgError linalg.inv: The diagonal element 3 is zero, the inversion could not be completed because the input matrix is singular.
Tinv _LinAlgError linalg.inv: The diagonal element 3 is zero, the inversion could not be completed because the input matrix is singular.
cholesky _LinAlgError linalg.cholesky: The factorization could not be completed because the input is not positive-definite (the leading minor of order 2 is not positive-definite).
cholesky_neg _LinAlgError linalg.cholesky: The factorization could not be completed because the input is not positive-definite (the leading minor of order 1 is not positive-definite).
tcholesky _LinAlgError cholesky: The factorization could not be completed because the input is not positive-definite (the leading minor of order 3 is not positive-definite).
solve _LinAlgError torch.linalg.solve: The solver failed because the input matrix is singular.
solve2 _LinAlgError torch.linalg.solve: The solver failed because the input matrix is singular.
binv _LinAlgError linalg.inv: (Batch element 1): The diagonal element 2 is zero, the inversion could not be completed because the input matrix is singular.
zeros _LinAlgError linalg.inv: The diagonal element 1 is zero, the inversion could not be completed because the input matrix is singular.
"""

TORCH_LAST_LINE = "torch._C._LinAlgError: linalg.inv: The diagonal element 3 is zero, the inversion could not be completed because the input matrix is singular."


def test_linalg_errors_as_torch(tmp_path):
    path = tmp_path / "la.py"
    path.write_text(PROGRAM)
    r = CliRunner().invoke(cli, ["run", str(path)], env={"NO_COLOR": "1"})
    assert r.exit_code == 1
    assert r.stdout == TORCH_PRINTED
    assert r.stderr.splitlines()[-1] == TORCH_LAST_LINE
