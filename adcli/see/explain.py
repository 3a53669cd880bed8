"""Backward, step by step, in the order the engine ran it, in the user's own words.

For each node of a backward pass: the gradient that reached it, and for each input the
formula of what it passes back (from the op declarations, ``engine/calculus.py``) with
the user's expressions put in (``∂(a * b)/∂a = b``), the local derivative's value where
the op is elementwise, the product, and the broadcast dimensions summed away. Then what
each leaf received (several uses are summed) and, for the tensors whose ``.grad`` is
None, why.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from adcli.engine.tensor import Tensor
from adcli.lang.ast import Node as Ast
from adcli.lang.parser import parse
from adcli.lang.unparse import substitute, to_latex, unparse
from adcli.see.model import short

MAX_NOTES = 12


@dataclass
class Contribution:
    slot: int
    input: str  # the input in the user's words
    input_tex: str
    formula: str | None  # what the node passes back, in the user's words
    formula_tex: str | None
    local: str | None  # the local derivative, for elementwise ops
    local_tex: str | None
    local_value: object  # array, or None
    given: object  # what the backward gave (array)
    passed: object  # after summing broadcast dimensions (array)
    reduction: str | None


@dataclass
class Step:
    number: int
    grad_fn: str
    label: str  # the node in the user's words
    label_tex: str
    line: int | None
    grad_out: object
    uses: list = field(default_factory=list)  # the steps whose gradients were summed here
    contributions: list = field(default_factory=list)


@dataclass
class Explanation:
    pass_number: int
    passes: int
    line: int | None
    root: str
    steps: list = field(default_factory=list)
    leaves: list = field(default_factory=list)  # (name, received, .grad now, uses)
    notes: list = field(default_factory=list)

    def to_json(self) -> dict:
        def arr(a):
            if a is None:
                return None
            a = np.asarray(a)
            return a.tolist() if a.size <= 1000 else {"shape": list(a.shape)}

        return {
            "pass": self.pass_number, "passes": self.passes, "line": self.line,
            "root": self.root,
            "steps": [{
                "step": s.number, "grad_fn": s.grad_fn, "node": s.label, "line": s.line,
                "grad": arr(s.grad_out), "summed_from_steps": s.uses,
                "inputs": [{
                    "input": c.input, "formula": c.formula, "local_derivative": c.local,
                    "local_value": arr(c.local_value), "gradient": arr(c.given),
                    "passed": arr(c.passed), "reduction": c.reduction,
                } for c in s.contributions],
            } for s in self.steps],
            "leaves": [{"name": n, "received": arr(r), "grad": arr(g), "uses": u}
                       for n, r, g, u in self.leaves],
            "notes": self.notes,
        }


def _array(g):
    if g is None:
        return None
    if isinstance(g, Tensor):
        return g._data
    return np.asarray(g)


def _name_tree(name: str) -> Ast:
    return Ast("name", (0, 0), name)


def _tree_of(e, names: dict):
    """The user's expression for an edge: its variable name, else its site's text."""
    if e is None:
        return None
    if id(e) in names:
        return _name_tree(names[id(e)])
    site = getattr(e, "_see_site", None)
    if site is not None and getattr(e, "_see_top", False) and site.tree is not None:
        return site.tree
    return None


def _operands(tree) -> list:
    """The operand trees of an op-level expression (a method's object first)."""
    if tree is None:
        return []
    if tree.kind == "binop":
        return [tree.fields[0], tree.fields[2]]
    if tree.kind == "unary":
        return [tree.fields[1]]
    if tree.kind == "call":
        func, args, kws = tree.fields
        lead = [func.fields[0]] if func.kind == "getattr" else []
        return lead + [a for a in args if a.kind != "starred"] + [v for k, v in kws if k]
    if tree.kind == "getitem":
        return [tree.fields[0]]
    return []


_FORMULA_CACHE: dict = {}


def _formula_tree(text: str):
    if text not in _FORMULA_CACHE:
        try:
            _FORMULA_CACHE[text] = parse(text, "eval_input", max_depth=200, dialect="py")
        except Exception:  # noqa: BLE001 - a formula that is prose, not an expression
            _FORMULA_CACHE[text] = None
    return _FORMULA_CACHE[text]


def _names_in(tree, out: list) -> list:
    stack = [tree]
    while stack:
        n = stack.pop()
        if not isinstance(n, Ast):
            continue
        if n.kind == "name" and n.fields[0] not in out:
            out.append(n.fields[0])
        for f in reversed(n.fields):
            if isinstance(f, Ast):
                stack.append(f)
            elif isinstance(f, list):
                stack.extend(x for x in reversed(f) if isinstance(x, Ast))
    return out


def _mapping(node, formulas, names: dict) -> dict:
    """Formula names -> the user's trees. For the node an expression made, its operands
    in order (``self`` first: the number of ``2 * x`` goes last), then the parameters the
    formulas name (``exponent``); for other nodes, each input's own expression. ``result``
    is the node itself."""
    mapping: dict = {}
    site = getattr(node, "_see_site", None)
    top = site is not None and getattr(node, "_see_top", False)
    inputs = [n for n, _ in formulas]
    if top:
        operands = _operands(site.tree)
        if site.tree.kind == "binop" and len(operands) == 2 and _literal(operands[0]) and \
                not _literal(operands[1]):
            operands = operands[::-1]
        wanted: list = []
        for _, text in formulas:
            tree = _formula_tree(text) if text else None
            if tree is not None:
                _names_in(tree, wanted)
        order = inputs + [w for w in wanted if w not in inputs and w in _PARAMETERS]
        for w, t in zip(order, operands):
            mapping[w] = t
        mapping["result"] = _name_tree(names[id(node)]) if id(node) in names else site.tree
    for i, name in enumerate(inputs):
        if name not in mapping:
            tree = _tree_of(node._next[i] if i < len(node._next) else None, names)
            if tree is not None:
                mapping[name] = tree
    for name, value in _DEFAULTS.items():
        mapping.setdefault(name, Ast("const", (0, 0), value))
    return mapping


# parameters whose default a formula may name when the expression did not give them
_DEFAULTS = {"alpha": 1}


def _literal(tree) -> bool:
    if tree.kind == "const":
        return True
    return tree.kind == "unary" and tree.fields[1].kind == "const"


# parameter names a formula may use that an expression's extra operand can stand for
_PARAMETERS = {"other", "exponent", "alpha", "weight", "end", "value", "min", "max",
               "mat2", "vec", "tensor1", "tensor2", "input", "target", "p", "bias",
               "scalar", "lambd", "beta", "threshold", "negative_slope", "dim"}


def _local_value(given, g):
    """given / g where g is non-zero: the elementwise local derivative's value."""
    if given is None or g is None:
        return None
    given, g = np.asarray(given), np.asarray(g)
    try:
        gb = np.broadcast_to(g, given.shape)
    except ValueError:
        return None
    if given.dtype.kind != "f" or np.any(gb == 0):
        return None
    with np.errstate(all="ignore"):
        return (given / gb).astype(given.dtype)


def _reduction(label: str, given, passed) -> str | None:
    given, passed = np.asarray(given), np.asarray(passed)
    if given.shape == passed.shape:
        return None
    lead = given.ndim - passed.ndim
    dims = list(range(lead)) + [lead + i for i, n in enumerate(passed.shape)
                                if n == 1 and given.shape[lead + i] != 1]
    which = "dim " + str(dims[0]) if len(dims) == 1 else "dims " + ", ".join(map(str, dims))
    return (f"summed over {which}, because {label} is {tuple(passed.shape)} and the "
            f"gradient was {tuple(given.shape)} (a broadcast in the forward pass)")


def explain(inspector, pass_number: int | None = None, wrt: list | None = None) -> Explanation:
    """The explanation of one backward pass (1-based; default the last one)."""
    from adcli.engine import calculus
    from adcli.see.inspect import find_pass

    p = find_pass(inspector, pass_number)
    names = inspector.names()
    targets = _targets(inspector, wrt)
    keep = _leading_to(p, targets) if targets else None
    ex = Explanation(p.number, inspector.pass_count, p.line, _root_label(p, names))
    uses: dict = {}
    leaf_labels: dict = {}  # a leaf as the expressions that used it named it
    number = 0
    for st in p.steps:
        node = st.node
        if keep is not None and id(node) not in keep:
            continue
        number += 1
        site = getattr(node, "_see_site", None)
        label_tree = _tree_of(node, names) or (site.tree if site is not None else None)
        label = unparse(label_tree) if label_tree is not None else node.name()
        if site is not None and not getattr(node, "_see_top", False) and id(node) not in names:
            label = f"in {site.text}"
            label_tree = None
        step = Step(number, node.name(), label,
                    to_latex(label_tree) if label_tree is not None else
                    r"\texttt{" + node.name() + "}",
                    site.line if site is not None and not inspector.expr else None,
                    _array(st.grad_out), uses=list(uses.get(id(node), [])))
        formulas = calculus.formula_of(node) or ()
        mapping = _mapping(node, formulas, names) if formulas else {}
        for i, gi in enumerate(st.grads_in):
            e = node._next[i] if i < len(node._next) else None
            if gi is None or e is None:
                continue
            if keep is not None and id(e) not in keep:
                continue
            given, passed = st.conformed.get(i, (gi, gi))
            given, passed = _array(given), _array(passed)
            name = formulas[i][0] if i < len(formulas) else None
            in_tree = mapping.get(name) if name is not None else None
            if in_tree is None:
                in_tree = _tree_of(e, names)
            in_label = unparse(in_tree) if in_tree is not None else (
                f"input {i} ({e.name()})" if not isinstance(e, Tensor) else f"input {i}")
            name, text = formulas[i] if i < len(formulas) else (None, None)
            formula = formula_tex = local = local_tex = None
            local_value = None
            ftree = _formula_tree(text) if text else None
            if ftree is not None:
                sub = substitute(ftree, mapping)
                formula, formula_tex = unparse(sub, 200), to_latex(sub)
                ltext = calculus.local_derivative(text)
                ltree = _formula_tree(ltext) if ltext else None
                if ltree is not None:
                    lsub = substitute(ltree, mapping)
                    local, local_tex = unparse(lsub, 200), to_latex(lsub)
                    local_value = _local_value(given, step.grad_out)
            elif text:
                formula = text
            step.contributions.append(Contribution(
                i, in_label, to_latex(in_tree) if in_tree is not None else
                r"\texttt{" + in_label + "}", formula, formula_tex, local, local_tex,
                local_value, given, passed, _reduction(in_label, given, passed)))
            uses.setdefault(id(e), []).append(number)
            if isinstance(e, Tensor):
                leaf_labels.setdefault(id(e), in_label)
        ex.steps.append(step)
    for t, g in p.leaves:
        if keep is not None and id(t) not in keep:
            continue
        label = names.get(id(t)) or leaf_labels.get(id(t)) or \
            f"a leaf of shape {list(t._data.shape)}"
        grad = t._grad._data if getattr(t, "_grad", None) is not None else None
        ex.leaves.append((label, _array(g), grad, uses.get(id(t), [])))
    ex.notes = _why_none(inspector, names, targets if wrt else None)
    return ex


def _root_label(p, names) -> str:
    for r in p.roots:
        if id(r) in names:
            return names[id(r)]
        site = getattr(r, "_see_site", None)
        if site is not None:
            return site.text
    return "the output"


def _targets(inspector, wrt) -> list:
    from adcli.errors import TorchNameError

    out = []
    for name in wrt or ():
        for session in reversed(inspector.sessions):
            if name in session.scope:
                value = session.scope[name]
                break
        else:
            raise TorchNameError(f"--wrt {name}: the program has no variable '{name}'")
        if not isinstance(value, Tensor):
            raise TorchNameError(f"--wrt {name}: '{name}' is a {type(value).__name__}, "
                                 "not a tensor")
        out.append(value)
    return out


def _leading_to(p, targets) -> set:
    """The ids of the pass's nodes from which a target can be reached, and the targets'."""
    keep = set()
    for t in targets:
        keep.add(id(t))
        if t._grad_fn is not None:
            keep.add(id(t._grad_fn))
    for st in reversed(p.steps):  # the engine runs consumers first: inputs come later
        if any(e is not None and id(e) in keep for e in st.node._next):
            keep.add(id(st.node))
    return keep


def _why_none(inspector, names: dict, only) -> list:
    """Why each named tensor's .grad is None (for --wrt's, or every named float tensor)."""
    notes = []
    reached = set()
    for p in inspector.passes:
        for t, _ in p.leaves:
            reached.add(id(t))
    candidates = only if only is not None else _named_tensors(inspector)
    for t in candidates:
        if t._grad is not None:
            continue
        name = names.get(id(t), "the tensor")
        kind = t._data.dtype.kind
        if kind not in "fc":
            notes.append(f"{name}.grad is None: {name} has an integer or bool dtype "
                         f"({t.dtype}); only floating-point tensors can require grad")
        elif t._grad_fn is not None:
            site = getattr(t._grad_fn, "_see_site", None)
            where = f" at line {site.line}" if site is not None else ""
            notes.append(f"{name}.grad is None: {name} is not a leaf (made by "
                         f"{t._grad_fn.name()}{where}), and backward keeps only leaves' "
                         f"gradients; call {name}.retain_grad() before backward to keep it")
        elif not t.requires_grad:
            if only is None:
                continue  # data, not a parameter: saying so for every input is noise
            notes.append(f"{name}.grad is None: {name} does not require grad; create it "
                         f"with requires_grad=True or call {name}.requires_grad_()")
        elif id(t) not in reached:
            notes.append(f"{name}.grad is None: no backward pass reached {name}: it was "
                         "not used to compute the output, or only through .detach(), "
                         ".data or under torch.no_grad()")
        if len(notes) >= MAX_NOTES:
            break
    return notes


def _named_tensors(inspector) -> list:
    out, seen = [], set()
    for session in inspector.sessions:
        for name, value in list(session.scope.items()):
            if isinstance(value, Tensor) and not str(name).startswith("_") and \
                    id(value) not in seen:
                seen.add(id(value))
                out.append(value)
    return out


# -- output ---------------------------------------------------------------------------------
def rich_view(ex: Explanation):
    """A rich renderable: one table row per gradient passed, then leaves and notes."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    title = (f"backward pass {ex.pass_number} of {ex.passes}"
             + (f" (line {ex.line})" if ex.line else "") + f", from {ex.root}")
    table = Table(title=title, show_lines=True, expand=False)
    table.add_column("#", justify="right", style="dim", no_wrap=True)
    table.add_column("node · the gradient that reached it", overflow="fold")
    table.add_column("input: local derivative = value", overflow="fold")
    table.add_column("passed back", style="yellow", overflow="fold")
    for s in ex.steps:
        node = Text(s.label, style="bold")
        node.append(f"\n{s.grad_fn}", style="magenta")
        if s.line:
            node.append(f"  line {s.line}", style="dim")
        node.append("\ngrad in ", style="dim")
        node.append(short(s.grad_out), style="yellow")
        if len(s.uses) > 1:
            node.append(f"\n(the sum of {len(s.uses)}: steps {', '.join(map(str, s.uses))})",
                        style="dim")
        if not s.contributions:
            table.add_row(str(s.number), node, "", "")
        for j, c in enumerate(s.contributions):
            how = Text(f"{c.input}: ", style="bold cyan")
            if c.local is not None:
                how.append(f"∂({s.label})/∂({c.input}) = {c.local}")
                if c.local_value is not None:
                    how.append(f" = {short(c.local_value)}", style="cyan")
            elif c.formula is not None:
                how.append(c.formula)
            else:
                how.append("(no formula)", style="dim")
            passed = Text(short(c.given))
            if c.reduction:
                dims = c.reduction.split(",")[0]  # "summed over dim 0"
                passed.append(f"\n→ {short(c.passed)}", style="bold yellow")
                passed.append(f"\n{dims}: {c.input} is {tuple(np.shape(c.passed))}",
                              style="dim")
            table.add_row(str(s.number) if j == 0 else "", node if j == 0 else "", how,
                          passed)
    parts = [table]
    for name, received, grad, uses in ex.leaves:
        line = Text(f"{name}", style="bold cyan")
        line.append(f" received {short(received)}")
        if len(uses) > 1:
            line.append(f", the sum of {len(uses)} uses (steps "
                        f"{', '.join(map(str, uses))})", style="yellow")
        if grad is not None:
            line.append(f"; {name}.grad = {short(grad)}")
        parts.append(line)
    for note in ex.notes:
        parts.append(Text("note: " + note, style="dim"))
    return Group(*parts)


def markdown(ex: Explanation) -> str:
    def cell(s) -> str:
        return str(s).replace("|", "\\|").replace("\n", "<br>")

    out = [f"### Backward pass {ex.pass_number} of {ex.passes}, from `{ex.root}`", "",
           "| step | node | grad in | to input | local derivative / formula | passed back |",
           "|---:|---|---|---|---|---|"]
    for s in ex.steps:
        first = True
        for c in s.contributions or [None]:
            node = f"`{cell(s.label)}`<br>{s.grad_fn}" if first else ""
            num = str(s.number) if first else ""
            gin = cell(short(s.grad_out)) if first else ""
            if first and len(s.uses) > 1:
                gin += f"<br>(the sum of {len(s.uses)})"
            first = False
            if c is None:
                out.append(f"| {num} | {node} | {gin} |  |  |  |")
                continue
            if c.local is not None:
                how = f"∂(`{cell(s.label)}`)/∂(`{cell(c.input)}`) = `{cell(c.local)}`"
                if c.local_value is not None:
                    how += f" = {cell(short(c.local_value))}"
            else:
                how = f"`{cell(c.formula)}`" if c.formula else ""
            passed = cell(short(c.given))
            if c.reduction:
                passed += f" → {cell(short(c.passed))} ({cell(c.reduction)})"
            out.append(f"| {num} | {node} | {gin} | `{cell(c.input)}` | {how} | {passed} |")
    out.append("")
    for name, received, grad, uses in ex.leaves:
        extra = f" (the sum of {len(uses)} uses)" if len(uses) > 1 else ""
        out.append(f"- `{name}` received {short(received)}{extra}"
                   + (f"; `{name}.grad` = {short(grad)}" if grad is not None else ""))
    for note in ex.notes:
        out.append(f"- note: {note}")
    return "\n".join(out) + "\n"


def latex(ex: Explanation) -> str:
    r"""The chain rule, one line per gradient passed, in an ``align*`` environment:
    ``\frac{\partial L}{\partial x} = \bar{g} \cdot (local) = value``."""
    lines = [r"\begin{align*}"]
    for s in ex.steps:
        for c in s.contributions:
            head = (r"\frac{\partial L}{\partial " + _group(c.input_tex) + "}")
            if c.local_tex is not None:
                body = (r"\frac{\partial L}{\partial " + _group(s.label_tex) + r"} \cdot "
                        + _paren(c.local_tex))
            elif c.formula_tex is not None:
                body = c.formula_tex.replace(r"\bar{g}", r"\frac{\partial L}{\partial "
                                             + _group(s.label_tex) + "}")
            else:
                body = r"\texttt{" + s.grad_fn + "}"
            value = _tex_value(c.passed)
            sep = r" \mathrel{+}= " if len([x for x in ex.steps for y in x.contributions
                                            if y.input == c.input]) > 1 else " = "
            lines.append(f"{head} &{sep}{body} = {value} \\\\")
    lines.append(r"\end{align*}")
    return "\n".join(lines) + "\n"


def _group(tex: str) -> str:
    return "(" + tex + ")" if any(c in tex for c in "+-") or r"\cdot" in tex else tex


def _paren(tex: str) -> str:
    return r"\left(" + tex + r"\right)" if any(c in tex for c in "+-") else tex


def _tex_value(a) -> str:
    text = short(a, 60)
    return r"\texttt{" + text.replace("…", r"\dots").replace("[", "[").replace("]", "]") + "}"
