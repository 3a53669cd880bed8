# ruff: noqa: E501  (the programs are kept as written)
"""logging and traceback: each program prints what CPython 3.11 prints for it, on stdout
and on stderr (the program is run as a file by both, so tracebacks name the same path)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from adcli import programs
from adcli.limits import Limits

PROGRAMS = {
    "logging_basics": '''
import logging
import sys
logging.warning("plain %s", "warn")
logging.info("not shown")
log = logging.getLogger(__name__)
print(log, logging.getLogger(), logging.getLogger("a.b").parent, logging.root)
log.warning("module logger %d", 3)
logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s %(message)s", stream=sys.stdout)
logging.info("now shown")
log.debug("hidden")
log.info("x=%s", {"a": 1})
child = logging.getLogger("train.loop")
child.setLevel(logging.DEBUG)
child.debug("debug from child")
print(child.getEffectiveLevel(), child.isEnabledFor(logging.DEBUG), logging.getLevelName(30), logging.getLevelName("INFO"), logging.DEBUG, logging.CRITICAL)
h = logging.StreamHandler(sys.stdout)
h.setFormatter(logging.Formatter("[%(levelname)-8s] %(name)s: %(message)s"))
mine = logging.getLogger("mine")
mine.addHandler(h)
mine.propagate = False
mine.error("boom %s", 1)
mine.critical("crit")
print(mine.handlers, mine.propagate, h)
def fail():
    raise RuntimeError("deep")
try:
    fail()
except RuntimeError:
    mine.exception("failed")
try:
    int("x")
except ValueError as e:
    logging.error("bad: %s", e)
''',
    "logging_default_config": '''
import logging
logger = logging.getLogger("app")
logger.setLevel(logging.DEBUG)
logging.basicConfig()
logger.debug("d")
logger.info("i %s %s", 1, 2)
logging.getLogger().setLevel(logging.ERROR)
logger.warning("still %s", "shown")
logging.warning("not shown")
logging.critical("shown")
print(logging.getLogger("app") is logger, logging.getLogger("root") is logging.getLogger())
''',
    "traceback": '''
import traceback
import sys
def inner(x):
    raise ValueError(f"bad value {x}")
def outer():
    inner(3)
try:
    outer()
except ValueError:
    text = traceback.format_exc()
    print(text)
    traceback.print_exc(file=sys.stdout)
try:
    raise KeyError("k")
except KeyError as e:
    print(traceback.format_exception_only(e))
    print(traceback.format_exception_only(type(e), e))
    print("".join(traceback.format_exception(e)))
    traceback.print_exception(e, file=sys.stdout)
print(traceback.format_exc())
print(traceback.format_exception_only(RuntimeError("x")), traceback.format_exception(TypeError("t")))
class MyErr(Exception):
    pass
try:
    raise MyErr("x")
except MyErr:
    traceback.print_exc()
''',
}


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_prints_what_cpython_prints(name, tmp_path):
    text = PROGRAMS[name]
    path = tmp_path / "prog.py"
    path.write_text(text)
    done = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                          timeout=60, cwd=tmp_path, check=True)
    out, err = [], []
    outcome = programs.run_python(text, str(path), Limits(), out.append, err.append)
    assert not outcome.failed and not outcome.internal
    assert "".join(out) == done.stdout
    assert "".join(err) == done.stderr


def test_file_logging_is_refused():
    out, err = [], []
    outcome = programs.run_python("import logging\nlogging.basicConfig(filename='x.log')\n",
                                  "prog.py", Limits(), out.append, err.append)
    assert outcome.failed and "file" in "".join(err).splitlines()[-1]
