"""Small API behaviours checked against what torch 2.13 printed for the same scripts
(fixtures/*.out): torch.where with Python numbers for its branches, and load_state_dict
on a module registered under two names."""

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


def test_a_module_under_two_names_loads_under_both():
    """torch's load_state_dict walks every path: a submodule registered twice expects its
    keys under both names (fixtures/state_dict_shared_module.out, from torch 2.13)."""
    out: list[str] = []
    Session(dialect="py", out=out.append).exec_source(
        _fixture("state_dict_shared_module.src"), filename="prog.py")
    assert "".join(out) == _fixture("state_dict_shared_module.out")
