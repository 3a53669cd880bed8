"""The work bound: one op may not compute for minutes, even within the element bound.

A matmul's inputs and result can each be within ``--max-elements`` while the product
costs m*n*k multiply-adds; mm and bmm refuse it on the shapes, before computing, so the
refusal costs no time.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from .harness import assert_rejected, run_script

# A 5000x5000 matrix is 25M elements (within the default of 10^8); its square is
# 1.25e11 multiply-adds, over the default work bound of 10^11. The operands are expanded
# views of one element, so the test allocates nothing large.
BIG = "a = ones(1, 1).expand(5000, 5000)\n"


@pytest.mark.parametrize(
    "source, pos",
    [
        (BIG + "a @ a\n", (2, 3)),
        (BIG + "mm(a, a)\n", (2, 1)),
        (BIG + "matmul(a, a)\n", (2, 1)),
        (BIG + "a.mm(a)\n", (2, 3)),
        ("b = ones(1, 1, 1).expand(4, 3000, 3000)\nbmm(b, b)\n", (2, 1)),
        ("b = ones(1, 1, 1).expand(4, 3000, 3000)\nb @ b\n", (2, 3)),
        # the batch dims of a matmul fold into one mm whose work is counted whole
        ("b = ones(1, 1, 1).expand(4, 3000, 3000)\nw = ones(1, 1).expand(3000, 3000)\n"
         "b @ w\n", (3, 3)),
    ],
)
def test_matmul_over_the_work_bound_is_refused_at_once(source: str, pos) -> None:
    o = run_script(source)
    assert_rejected(o, "LimitError", pos, "multiply-adds")
    assert "--max-work" in str(o.error)
    assert o.elapsed < 2.0, o.elapsed


def test_the_work_bound_is_configurable_and_zero_disables_it() -> None:
    source = "a = ones(100, 100)\nb = a @ a\nprint(b[0, 0].item())\n"
    assert_rejected(run_script(source, max_work=999_999), "LimitError", (2, 7), "1,000,000")
    o = run_script(source, max_work=1_000_000)
    assert o.errors == [] and o.out == "100.0\n"
    o = run_script(source, max_work=0)
    assert o.errors == [] and o.out == "100.0\n"


def test_backward_of_a_matmul_within_the_bound_runs() -> None:
    o = run_script(
        "a = ones(30, 40, requires_grad=True)\nb = ones(40, 50)\n(a @ b).sum().backward()\n"
        "print(a.grad[0, 0].item())\n",
        max_work=30 * 40 * 50,
    )
    assert o.errors == [] and o.out == "50.0\n"


def test_the_option_and_variable_reach_the_command(tmp_path) -> None:
    script = tmp_path / "mm.adc"
    script.write_text("a = ones(100, 100)\na @ a\n")
    cmd = [sys.executable, "-m", "adcli.cli.main", "run", str(script)]
    by_flag = subprocess.run([*cmd, "--max-work", "10"], capture_output=True, text=True)
    by_env = subprocess.run(cmd, capture_output=True, text=True,
                            env={"ADCLI_MAX_WORK": "10", "PATH": ""})
    for done in (by_flag, by_env):
        assert done.returncode == 1, done.stderr
        assert "LimitError: mm() of 100x100 and 100x100 matrices" in done.stdout
        assert "Traceback" not in done.stderr
