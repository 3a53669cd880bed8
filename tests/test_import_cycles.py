"""Imports run one way: no module of adcli imports, directly or through others, a module
that imports it back.

Read from the source with ``ast``. An import inside a function counts as much as one at
the top of a module: deferring an import hides a cycle, it does not remove it. A package
is imported before its submodules, so ``from adcli.engine import ops`` is an edge to
``adcli.engine.ops`` only, and a package's own ``__init__`` may import its children.
"""

from __future__ import annotations

import ast
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The language's modules still import each other inside functions (the interpreter and
# its Python library): a known debt, held to the language. Everywhere else has none.
KNOWN_DEFERRED_PREFIX = "adcli.lang."


def _modules() -> dict:
    out = {}
    for d, _, files in os.walk(os.path.join(ROOT, "adcli")):
        for f in files:
            if f.endswith(".py"):
                path = os.path.join(d, f)
                name = os.path.relpath(path, ROOT)[:-3].replace(os.sep, ".")
                out[name.removesuffix(".__init__")] = path
    return out


def _imports(name: str, path: str, modules: dict, top_only: bool) -> set:
    with open(path, encoding="utf-8") as fh:
        tree = ast.parse(fh.read())
    nodes = tree.body if top_only else ast.walk(tree)
    package = name if path.endswith("__init__.py") else name.rpartition(".")[0]
    out = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            subs = {f"{base}.{a.name}" for a in node.names} & modules.keys()
            out.update(subs if subs else {base})
    # a package is imported before its children: an edge to an ancestor is no edge
    return {m for m in out if m in modules and m != name and not name.startswith(m + ".")}


def _cycles(top_only: bool) -> list:
    modules = _modules()
    graph = {m: _imports(m, p, modules, top_only) for m, p in modules.items()}
    index, low, stack, on, found = {}, {}, [], set(), []

    def visit(v):  # Tarjan's strongly connected components, iterative
        work = [(v, iter(sorted(graph[v])))]
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        while work:
            node, children = work[-1]
            for w in children:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                    break
                if w in on:
                    low[node] = min(low[node], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        component.add(w)
                        if w == node:
                            break
                    if len(component) > 1:
                        found.append(frozenset(component))

    for m in sorted(graph):
        if m not in index:
            visit(m)
    return found


def test_no_import_cycle_at_module_level():
    assert _cycles(top_only=True) == []


def test_no_import_cycle_even_through_deferred_imports():
    cycles = [c for c in _cycles(top_only=False)
              if not all(m.startswith(KNOWN_DEFERRED_PREFIX) for m in c)]
    assert cycles == []


def test_the_engine_has_no_cycle_at_all():
    engine = [c for c in _cycles(top_only=False) if any(m.startswith("adcli.engine") for m in c)]
    assert engine == []
