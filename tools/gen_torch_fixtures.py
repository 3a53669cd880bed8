"""Record torch's output for fixtures of tests/engine/fixtures (NAME.src -> NAME.out): run
with a Python that has torch 2.13, naming the fixtures.

    python tools/gen_torch_fixtures.py torch_losses torch_random torch_tensor_state
"""

from __future__ import annotations

import contextlib
import io
import os
import sys

HERE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                    "tests", "engine", "fixtures")

for name in sys.argv[1:]:
    with open(os.path.join(HERE, name + ".src"), encoding="utf-8") as fh:
        source = fh.read()
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        exec(compile(source, name, "exec"), {})  # noqa: S102 - our own fixture
    with open(os.path.join(HERE, name + ".out"), "w", encoding="utf-8") as fh:
        fh.write(buf.getvalue())
