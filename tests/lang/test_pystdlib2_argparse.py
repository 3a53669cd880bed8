# ruff: noqa: E501  (the programs are kept as written)
"""argparse: each program prints what CPython 3.11 prints for it (stdout, stderr, exit
status), run as a file with no arguments by both."""

from __future__ import annotations

import subprocess
import sys

import pytest

from adcli import programs
from adcli.limits import Limits

PROGRAMS = {
    "train_options": """import argparse
parser = argparse.ArgumentParser(description="Train a model.")
parser.add_argument("--lr", type=float, default=0.01, help="learning rate (default: %(default)s)")
parser.add_argument("--epochs", type=int, default=3)
parser.add_argument("--verbose", "-v", action="count", default=0)
parser.add_argument("--no-cuda", action="store_true", help="disable CUDA")
parser.add_argument("--opt", choices=["sgd", "adam"], default="sgd")
parser.add_argument("--layer", action="append", type=int, dest="layers", metavar="N")
parser.add_argument("name", nargs="?", default="run")
args = parser.parse_args()
print(args, vars(args), args.lr, args.no_cuda)
print(parser.parse_args(["--lr", "0.5", "-vv", "--layer", "3", "--layer", "4", "exp1"]))
print(parser.parse_known_args(["--epochs", "5", "--extra", "x"]))
print("lr" in args, args == argparse.Namespace(**vars(args)))
parser.print_help()
parser.print_usage()
print(argparse.Namespace(a=1, b="x"))
try:
    parser.parse_args(["--opt", "rmsprop"])
except SystemExit as e:
    print("exit", e.code)
p2 = argparse.ArgumentParser(prog="tool", formatter_class=argparse.ArgumentDefaultsHelpFormatter)
p2.add_argument("--batch-size", type=int, default=32, help="batch")
p2.add_argument("files", nargs="+")
print(p2.format_help())
try:
    p2.parse_args([])
except SystemExit as e:
    print("exit", e.code)
p2.parse_args(["--batch-size", "x", "f"])
""",
    "help_exits_0": """
import argparse
p = argparse.ArgumentParser(description="Demo", epilog="bye")
g = p.add_argument_group("model")
g.add_argument("--hidden", type=int, default=64, help="hidden size")
m = p.add_mutually_exclusive_group()
m.add_argument("--train", action="store_true")
m.add_argument("--eval", action="store_false", dest="training")
p.add_argument("--pair", nargs=2, type=float, metavar=("A", "B"))
p.add_argument("--tags", nargs="*", default=[])
print(p.parse_args(["--pair", "1", "2", "--tags", "a", "b"]))
p.parse_args(["--help"])
print("not reached")
""",
    "unknown_option": """
import argparse
p = argparse.ArgumentParser()
p.add_argument("--k", default=1)
print(p.parse_args([]))
p.parse_args(["--j", "2"])
""",
}


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_prints_what_cpython_prints(name, tmp_path):
    text = PROGRAMS[name]
    path = tmp_path / "prog.py"
    path.write_text(text)
    done = subprocess.run([sys.executable, "prog.py"], capture_output=True, text=True,
                          timeout=60, cwd=tmp_path, check=False)
    out, err = [], []
    outcome = programs.run_python(text, "prog.py", Limits(), out.append, err.append)
    assert "".join(out) == done.stdout
    assert "".join(err) == done.stderr
    assert (outcome.exit_code or 0) == done.returncode


@pytest.mark.parametrize("text", [
    "import argparse\nargparse.ArgumentParser(fromfile_prefix_chars='@')\n",
    "import argparse\np = argparse.ArgumentParser()\np.add_argument('--x', dest='__class__')\n",
    "import argparse\np = argparse.ArgumentParser()\np.add_argument('--x', action=dict)\n",
])
def test_refusals(text):
    out, err = [], []
    outcome = programs.run_python(text, "prog.py", Limits(), out.append, err.append)
    assert outcome.failed and not outcome.internal
