#!/usr/bin/env python3
"""Record what CPython + PyTorch print for the `.py` and `.ipynb` programs of a corpus.

The corpus (``samples/python/``) holds real Python programs and notebooks that
``adcli run FILE.py`` / ``adcli run FILE.ipynb`` must reproduce (SPEC, "Python scripts
(.py) and notebooks (.ipynb)"). For every program ``NAME.py`` or ``NAME.ipynb`` this
tool writes, beside it:

* ``NAME.out``    -- everything the program wrote on stdout, byte for byte;
* ``NAME.err``    -- the LAST line of its stderr (for a Python traceback that is the
  ``ErrorType: message`` line), followed by a newline; empty when stderr is empty;
* ``NAME.status`` -- its exit status as text (``0`` or ``1``), followed by a newline.

How a program is run
--------------------
``.py``: ``python NAME.py`` in a subprocess, with the file's directory as the working
directory, the interpreter running this tool (use the venv that has torch 2.13), and
the environment ``PYTHONHASHSEED=0``, ``PYTHONIOENCODING=utf-8``,
``PYTHONDONTWRITEBYTECODE=1``, ``OMP_NUM_THREADS=1``, ``PYTHON_COLORS=0``; a timeout
(``--timeout``, default 120 s) is an error of the tool, never a reference.

``.ipynb``: Jupyter is not needed; this tool emulates ``jupyter nbconvert --execute
--allow-errors`` with a small runner (``--run-notebook``, standard library only), run
in a subprocess in the same way. Its rules, which define the references:

1. Markdown and raw cells are skipped; code cells run in order in one namespace
   whose ``__name__`` is ``"__main__"``. IPython's extras (``display``, ``In``/``Out``,
   ``_``, a trailing ``;`` that hides the value) are NOT emulated.
2. In each code cell, every line whose FIRST character (column 0) is ``%`` or ``!``
   (a line magic, a cell magic such as ``%%time``, a shell command) is replaced by an
   empty line, so line numbers are kept. If any line of the notebook was skipped, ONE
   note goes to stderr before the first cell runs:
   ``adcli: skipped N IPython magic/shell line(s)``.
3. The cell is parsed with ``ast``; all statements but the last are executed; if the
   last one is an expression statement (``ast.Expr``) it is evaluated and, when its
   value is not None, it is printed on its own line as Jupyter's ``Out[n]`` shows it:
   the text of IPython's ``PlainTextFormatter`` (``IPython.lib.pretty``, 79 columns,
   at most 1000 items a container), which the runner uses when IPython is importable
   in the interpreter running this tool; without IPython, ``repr(value)``, which is
   the same text for short values only (the tool warns: install ``ipython`` in the
   torch venv before recording a notebook that displays a long container); otherwise
   it is executed too.
4. An exception ends its cell: stdout gets ``ErrorType: message`` (``type(e).__name__``,
   then ``": "`` and ``str(e)`` when that is not empty), stderr gets Python's traceback
   (without the runner's own frame), and the run goes on with the next cell. A
   syntax error in a cell is reported the same way.
5. The exit status is 1 if any cell raised, else 0 (nbconvert --allow-errors exits 0;
   the status here tells whether the notebook had an error cell).

Usage::

    /path/to/venv-with-torch/bin/python tools/gen_py_references.py [PATHS...]
    /path/to/venv-with-torch/bin/python tools/gen_py_references.py --check [PATHS...]
    python tools/gen_py_references.py --parse-only [PATHS...]

PATHS are programs or directories searched recursively (default: ``samples/python``).
Without options the three reference files are (re)written where they differ. With
``--check`` nothing is written: the programs whose fresh run differs from the recorded
files (or that lack them), and reference files that have no program, are listed, and
the exit status is 1 if there is any. ``--parse-only`` runs nothing: it checks with
``ast.parse`` that every ``.py`` and every code cell (after rule 2) parses, exit 1 if
one does not. Generation and ``--check`` need torch 2.13 (exit 2 otherwise).
"""

from __future__ import annotations

import argparse
import ast
import builtins
import concurrent.futures
import json
import os
import subprocess
import sys
import traceback

EXPECTED_TORCH = "2.13"
SUFFIXES = (".py", ".ipynb")
REFERENCE_SUFFIXES = (".out", ".err", ".status")
MAGIC_PREFIXES = ("%", "!")
DEFAULT_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                           "samples", "python")


# --------------------------------------------------------------------------- notebooks

def notebook_code_cells(path: str) -> tuple[list[str], int]:
    """The code cells of a notebook, magic and shell lines blanked, and how many there were."""
    with open(path, encoding="utf-8") as fh:
        doc = json.load(fh)
    cells, skipped = [], 0
    for cell in doc.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(source)
        kept = []
        for line in source.splitlines():
            if line.startswith(MAGIC_PREFIXES):
                skipped += 1
                kept.append("")
            else:
                kept.append(line)
        cells.append("\n".join(kept) + "\n")
    return cells, skipped


def _error_line(exc: BaseException) -> str:
    message = str(exc)
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def display_function():
    """What shows a cell's value: IPython's text/plain formatter, else ``repr``."""
    try:
        from IPython.core.formatters import PlainTextFormatter
    except ImportError:
        return repr
    return PlainTextFormatter()


def run_notebook(path: str) -> int:
    """Run a notebook's code cells as described in the module docstring (rules 1-5)."""
    show = display_function()
    cells, skipped = notebook_code_cells(path)
    if skipped:
        print(f"adcli: skipped {skipped} IPython magic/shell line(s)", file=sys.stderr, flush=True)
    namespace: dict = {"__name__": "__main__", "__builtins__": builtins}
    failed = False
    for number, source in enumerate(cells, start=1):
        filename = f"<{os.path.basename(path)} cell {number}>"
        try:
            tree = ast.parse(source, filename)
            body = list(tree.body)
            last = body.pop() if body and isinstance(body[-1], ast.Expr) else None
            exec(compile(ast.Module(body=body, type_ignores=[]), filename, "exec"), namespace)
            if last is not None:
                value = eval(compile(ast.Expression(last.value), filename, "eval"), namespace)
                if value is not None:
                    print(show(value))
        except Exception as exc:  # noqa: BLE001 -- every error ends only its cell
            failed = True
            print(_error_line(exc))
            sys.stdout.flush()
            tb = exc.__traceback__.tb_next if exc.__traceback__ is not None else None
            traceback.print_exception(type(exc), exc, tb, file=sys.stderr)
            sys.stderr.flush()
        sys.stdout.flush()
    return 1 if failed else 0


# --------------------------------------------------------------------------- corpus

def find_programs(paths: list[str]) -> list[str]:
    found: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__")))
                found.extend(os.path.join(root, f) for f in sorted(files) if f.endswith(SUFFIXES))
        elif path.endswith(SUFFIXES) and os.path.isfile(path):
            found.append(path)
        else:
            raise SystemExit(f"gen_py_references: not a program or directory: {path}")
    found = [os.path.abspath(p) for p in found]
    stems = {}
    for p in found:
        stem = os.path.splitext(p)[0]
        if stem in stems:
            raise SystemExit(f"gen_py_references: {stems[stem]} and {p} would share references")
        stems[stem] = p
    return found


def orphan_references(paths: list[str], programs: list[str]) -> list[str]:
    """Reference files under the searched directories that belong to no program."""
    stems = {os.path.splitext(p)[0] for p in programs}
    orphans = []
    for path in paths:
        if not os.path.isdir(path):
            continue
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__")))
            for f in sorted(files):
                stem, ext = os.path.splitext(os.path.join(root, f))
                if ext in REFERENCE_SUFFIXES and os.path.abspath(stem) not in stems:
                    orphans.append(os.path.join(root, f))
    return orphans


def parse_errors(programs: list[str]) -> tuple[list[str], int]:
    """Programs (or notebook cells) that ast.parse refuses, and how many sources were parsed."""
    errors, parsed = [], 0
    for path in programs:
        if path.endswith(".py"):
            with open(path, encoding="utf-8") as fh:
                sources = [(path, fh.read())]
        else:
            cells, _ = notebook_code_cells(path)
            sources = [(f"{path} (code cell {i})", src) for i, src in enumerate(cells, 1)]
        for label, src in sources:
            parsed += 1
            try:
                ast.parse(src, label)
            except SyntaxError as exc:
                errors.append(f"{label}: line {exc.lineno}: {exc.msg}")
    return errors, parsed


def child_env() -> dict:
    env = dict(os.environ)
    env.update(PYTHONHASHSEED="0", PYTHONIOENCODING="utf-8", PYTHONDONTWRITEBYTECODE="1",
               OMP_NUM_THREADS="1", PYTHON_COLORS="0")
    env.pop("PYTHONSTARTUP", None)
    return env


def run_program(path: str, timeout: float) -> dict[str, str]:
    """Run one program; return the text of its three reference files."""
    directory, name = os.path.split(path)
    if path.endswith(".py"):
        argv = [sys.executable, name]
    else:
        argv = [sys.executable, os.path.abspath(__file__), "--run-notebook", name]
    try:
        proc = subprocess.run(argv, cwd=directory, env=child_env(), capture_output=True,
                              timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise SystemExit(f"gen_py_references: {path} ran longer than {timeout} s") from None
    stdout = proc.stdout.decode("utf-8")
    lines = proc.stderr.decode("utf-8").splitlines()
    return {
        ".out": stdout,
        ".err": lines[-1] + "\n" if lines else "",
        ".status": f"{proc.returncode}\n",
    }


def read_text(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            return fh.read()
    except FileNotFoundError:
        return None


def has_ipython() -> bool:
    probe = subprocess.run([sys.executable, "-c", "import IPython.core.formatters"],
                           capture_output=True, env=child_env())
    return probe.returncode == 0


def check_torch() -> None:
    probe = subprocess.run([sys.executable, "-c", "import torch; print(torch.__version__)"],
                           capture_output=True, text=True, env=child_env())
    version = probe.stdout.strip()
    if probe.returncode != 0 or not version.startswith(EXPECTED_TORCH):
        print(f"gen_py_references: needs torch {EXPECTED_TORCH} in {sys.executable} "
              f"(found {version or 'no torch'})", file=sys.stderr)
        sys.exit(2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="*", help="programs or directories (default samples/python)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true",
                      help="compare, write nothing; exit 1 on a difference")
    mode.add_argument("--parse-only", action="store_true",
                      help="only ast.parse every program and cell")
    mode.add_argument("--run-notebook", metavar="FILE", help=argparse.SUPPRESS)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per program (120)")
    parser.add_argument("-j", "--jobs", type=int, default=min(4, os.cpu_count() or 1),
                        help="programs run at once")
    args = parser.parse_args(argv)

    if args.run_notebook:
        return run_notebook(args.run_notebook)

    paths = args.paths or [DEFAULT_DIR]
    programs = find_programs(paths)
    errors, parsed = parse_errors(programs)
    for error in errors:
        print(f"does not parse: {error}", file=sys.stderr)
    if args.parse_only:
        print(f"{parsed} sources in {len(programs)} programs parsed, {len(errors)} failed")
        return 1 if errors else 0

    check_torch()
    if any(p.endswith(".ipynb") for p in programs) and not has_ipython():
        print("gen_py_references: warning: IPython is not importable here; notebook values "
              "are shown with repr, not as Jupyter shows them", file=sys.stderr)
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = list(pool.map(lambda p: run_program(p, args.timeout), programs))

    differing, written = [], 0
    for path, result in zip(programs, results):
        stem = os.path.splitext(path)[0]
        for suffix, text in result.items():
            target = stem + suffix
            if read_text(target) == text:
                continue
            if args.check:
                differing.append(os.path.relpath(target))
            else:
                with open(target, "w", encoding="utf-8", newline="") as fh:
                    fh.write(text)
                written += 1
    orphans = orphan_references(paths, programs)
    if args.check:
        for target in differing:
            print(f"differs: {target}")
        for orphan in orphans:
            print(f"no program for: {os.path.relpath(orphan)}")
        print(f"{len(programs)} programs checked, {len(differing)} reference files differ, "
              f"{len(orphans)} orphaned")
        return 1 if differing or orphans else 0
    for orphan in orphans:
        print(f"warning: no program for {os.path.relpath(orphan)}", file=sys.stderr)
    print(f"{len(programs)} programs run, {written} reference files written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
