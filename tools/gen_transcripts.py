#!/usr/bin/env python3
"""Generate the PyTorch reference transcript (``.out``) of adcli cell scripts (``.adc``).

Each script runs under real PyTorch with the conventions of adcli's language
(SPEC §1), and what it prints on stdout becomes the transcript that ``adcli run``
must reproduce:

* a line starting with ``# %%`` starts a new cell; cells share one namespace;
* an error ends its cell: the transcript gets ``ErrorType: first line of message``
  and the run goes on with the next cell (a syntax error fails the whole cell);
* a bare expression statement whose value is not None prints its ``repr``;
* ``^`` is power: it is rewritten to ``**`` outside string literals;
* every public name of the ``torch`` namespace is in scope, bare and as ``torch.``;
  ``sum abs max min round`` are the torch functions (``from torch import *``);
  ``range len float int bool print list tuple`` keep their Python meaning, and
  ``F`` / ``Variable`` are bound by their import lines;
* object addresses are printed as ``at 0x...``.

Usage::

    tools/gen_transcripts.py [--check | --print] FILES_OR_DIRS...

Without options every ``.out`` is (re)written beside its ``.adc``. With ``--check``
nothing is written; the files whose transcript differs are listed and the exit status
is 1 if any differs. With ``--print`` the transcripts go to stdout instead (so that
``python -m adcli.transcript --run 'tools/gen_transcripts.py --print' DIR`` checks the
comparison itself). Directories are searched recursively for ``*.adc``.

Needs PyTorch 2.13 (``pip install torch==2.13.0``, the CPU build).
"""

from __future__ import annotations

import argparse
import ast
import builtins
import contextlib
import io
import os
import re
import sys
import warnings

ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
CELL_MARK = "# %%"
PY_BUILTINS = ("range", "len", "float", "int", "bool", "print", "list", "tuple")
TORCH_FUNCS = ("sum", "abs", "max", "min", "round")
EXPECTED_TORCH = "2.13"


# --------------------------------------------------------------------------- source

def split_cells(text: str) -> list[tuple[int, str]]:
    """Split a script into cells: (first line number, source) for each.

    Lines before the first marker form a cell of their own; a cell holding nothing but
    blank lines and comments is kept (it simply prints nothing).
    """
    cells: list[tuple[int, str]] = []
    start, lines = 1, []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(CELL_MARK):
            if lines:
                cells.append((start, "\n".join(lines) + "\n"))
            start, lines = number + 1, []
        else:
            lines.append(line)
    if lines:
        cells.append((start, "\n".join(lines) + "\n"))
    return cells


def caret_to_power(src: str) -> str:
    """Rewrite ``^`` to ``**`` everywhere except inside string literals and comments."""
    out: list[str] = []
    i, n = 0, len(src)
    while i < n:
        ch = src[i]
        if ch == "#":  # a comment runs to the end of the line
            end = src.find("\n", i)
            end = n if end < 0 else end
            out.append(src[i:end])
            i = end
        elif ch in "'\"":
            quote = src[i:i + 3] if src[i:i + 3] in ('"""', "'''") else ch
            j = i + len(quote)
            while j < n and not src.startswith(quote, j):
                j += 2 if src[j] == "\\" else 1
            j = min(n, j + len(quote))
            out.append(src[i:j])
            i = j
        elif ch == "^":
            out.append("**")
            i += 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


class _DisplayExpressions(ast.NodeTransformer):
    """Wrap every expression statement as ``__display__(expr)``; refuse foreign imports."""

    def _refuse(self, node: ast.stmt, name: str) -> ast.Expr:
        call = ast.Call(func=ast.Name("__refuse_import__", ast.Load()),
                        args=[ast.Constant(name)], keywords=[])
        return ast.copy_location(ast.Expr(call), node)

    def visit_Import(self, node: ast.Import) -> ast.stmt:
        for alias in node.names:
            ok = (alias.name == "torch" and alias.asname is None) or (
                alias.name == "torch.nn.functional" and alias.asname == "F")
            if not ok:
                return self._refuse(node, alias.name)
        return node

    def visit_ImportFrom(self, node: ast.ImportFrom) -> ast.stmt:
        names = [(a.name, a.asname) for a in node.names]
        if node.level or node.module != "torch.autograd" or names != [("Variable", None)]:
            return self._refuse(node, node.module or ".")
        return node

    def visit_Expr(self, node: ast.Expr) -> ast.Expr:
        call = ast.Call(func=ast.Name("__display__", ast.Load()), args=[node.value], keywords=[])
        return ast.copy_location(ast.Expr(call), node)


# --------------------------------------------------------------------------- namespace

def _display(value: object) -> None:
    if value is not None:
        print(repr(value))


def _make_namespace(torch, F, Variable) -> dict:
    def refuse_import(name):
        raise ImportError(f"import of '{name}' is not part of the language")

    allowed = {name: getattr(builtins, name) for name in PY_BUILTINS}
    # torch's C code imports through the builtins of the calling frame: keep __import__.
    allowed["__import__"] = builtins.__import__
    ns: dict = {"__builtins__": allowed, "__name__": "__adc__"}
    for name in dir(torch):
        if not name.startswith("_"):
            ns[name] = getattr(torch, name)
    for name in TORCH_FUNCS:
        ns[name] = getattr(torch, name)
    for name in PY_BUILTINS:  # torch.range, torch.float, torch.int, torch.bool are shadowed
        ns.pop(name, None)
    ns.update(torch=torch, __display__=_display, __refuse_import__=refuse_import)
    ns.pop("F", None)  # bound by `import torch.nn.functional as F`
    ns.pop("Variable", None)  # bound by `from torch.autograd import Variable`
    return ns


def _reset_torch(torch) -> None:
    torch.manual_seed(0)
    torch.set_grad_enabled(True)
    torch.set_default_dtype(torch.float32)
    torch.set_printoptions(profile="default")


# --------------------------------------------------------------------------- running

def transcript(path: str) -> str:
    """Run one script under PyTorch and return its normalised stdout transcript."""
    import torch
    import torch.nn.functional as F
    from torch.autograd import Variable

    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    _reset_torch(torch)
    ns = _make_namespace(torch, F, Variable)
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # adcli sends warnings to stderr: not transcript
        for first_line, cell in split_cells(text):
            try:
                tree = ast.parse(caret_to_power(cell), filename=path)
                ast.increment_lineno(tree, first_line - 1)
                tree = ast.fix_missing_locations(_DisplayExpressions().visit(tree))
                exec(compile(tree, path, "exec"), ns)
            except Exception as exc:  # noqa: BLE001 - a cell shows any error and goes on
                lines = str(exc).splitlines()
                if isinstance(exc, SyntaxError):
                    lines = [exc.msg]
                message = lines[0] if lines else ""
                print(f"{type(exc).__name__}: {message}".rstrip())
    _reset_torch(torch)
    return ADDRESS.sub(" at 0x...", buf.getvalue())


def find_scripts(targets: list[str]) -> list[str]:
    """The shared walker of adcli.transcript, refusing targets that are not scripts."""
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from adcli.transcript import find_scripts as walk

    for target in targets:
        if not os.path.isdir(target) and not (target.endswith(".adc") and os.path.isfile(target)):
            raise SystemExit(f"gen_transcripts: not a .adc file or a directory: {target}")
    return walk(targets)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; list the scripts whose .out differs")
    parser.add_argument("--print", action="store_true", dest="print_",
                        help="write nothing; print the transcripts on stdout")
    parser.add_argument("targets", nargs="+", metavar="FILES_OR_DIRS")
    args = parser.parse_args(argv)

    import torch

    if not torch.__version__.startswith(EXPECTED_TORCH):
        print(f"gen_transcripts: warning: torch {torch.__version__}, the reference is "
              f"{EXPECTED_TORCH}", file=sys.stderr)
    differ = 0
    scripts = find_scripts(args.targets)
    for script in scripts:
        out_path = script[:-len(".adc")] + ".out"
        new = transcript(script)
        if args.print_:
            sys.stdout.write(new)
            continue
        try:
            with open(out_path, encoding="utf-8") as fh:
                old = fh.read()
        except FileNotFoundError:
            old = None
        if new == old:
            continue
        differ += 1
        if args.check:
            print(f"differs: {out_path}" if old is not None else f"missing: {out_path}")
        else:
            with open(out_path, "w", encoding="utf-8") as fh:
                fh.write(new)
            print(f"wrote {out_path}")
    if not args.print_:
        print(f"{len(scripts)} scripts, {differ} {'differ' if args.check else 'written'}",
              file=sys.stderr)
    return 1 if (args.check and differ) else 0


if __name__ == "__main__":
    sys.exit(main())
