"""Golden outputs of every format for the seed tutorial's first derivation, so that a
change of presentation is a reviewed change. Their numbers are the seed's hand derivation
(mean 27, d/dz = 1/4, d/dx = 3/2 (x + 2) = 4.5), checked in test_graph.py and
test_explain.py against that derivation; these files pin the layout around them.
Regenerate after an intended change: ADCLI_UPDATE_GOLDENS=1 pytest tests/see/test_goldens.py
"""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from adcli.cli.main import cli

HERE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fixtures",
                    "see")
SEED = "samples/seeds/seed_000_variable_tutorial.adc"
EXPR = ["mean(3*(x+2)**2)", "-b", "x=ones(2,2)"]

CASES = {
    "graph.txt": ["graph", *EXPR],
    "graph-seed.txt": ["graph", SEED, "--of", "out"],
    "graph.dot": ["graph", *EXPR, "--format", "dot"],
    "graph.json": ["graph", *EXPR, "--format", "json"],
    "graph.svg": ["graph", *EXPR, "--format", "svg", "--layout", "builtin"],
    "explain.txt": ["explain", *EXPR],
    "explain-seed.md": ["explain", SEED, "--pass", "1", "--markdown"],
    "explain.tex": ["explain", *EXPR, "--latex"],
    "explain.json": ["explain", *EXPR, "--json"],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name):
    res = CliRunner().invoke(cli, CASES[name], env={"NO_COLOR": "1", "COLUMNS": "100"})
    assert res.exit_code == 0, res.output
    path = os.path.join(HERE, name)
    if os.environ.get("ADCLI_UPDATE_GOLDENS"):
        with open(path, "w", encoding="utf-8") as f:
            f.write(res.output)
    with open(path, encoding="utf-8") as f:
        assert res.output == f.read()
