"""Record torch's output for tests/engine/fixtures/torch_selection.src and torch_linalg.src
(the selection and linear-algebra ops): run with a Python that has torch 2.13.

    python tools/gen_selection_linalg_fixtures.py
"""

from __future__ import annotations

import contextlib
import io
import os

HERE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                    "tests", "engine", "fixtures")

for name in ("torch_selection", "torch_linalg"):
    with open(os.path.join(HERE, name + ".src"), encoding="utf-8") as fh:
        source = fh.read()
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        exec(compile(source, name, "exec"), {})  # noqa: S102 - our own fixture
    with open(os.path.join(HERE, name + ".out"), "w", encoding="utf-8") as fh:
        fh.write(buf.getvalue())
