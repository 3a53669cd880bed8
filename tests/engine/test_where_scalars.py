"""torch.where with Python numbers for both branches (the dtype torch promotes them to),
or for one of them, as torch 2.13 printed the same script (fixtures/where_scalars.out)."""

from __future__ import annotations

import os

from adcli.lang.interpreter import Session

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")


def _fixture(name: str) -> str:
    with open(os.path.join(FIXTURES, name), encoding="utf-8") as fh:
        return fh.read()


def test_where_with_numbers_prints_what_torch_prints():
    out: list[str] = []
    Session(dialect="py", out=out.append).exec_source(_fixture("where_scalars.src"),
                                                      filename="prog.py")
    assert "".join(out) == _fixture("where_scalars.out")
