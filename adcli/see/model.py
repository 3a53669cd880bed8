"""The autograd graph of a value as plain data: nodes, edges and what each one shows.

Every output format (``adcli/see/formats/``) reads a ``Graph``; none of them walks the
engine's nodes. A node is an op (its grad_fn) or a leaf (the tensor that AccumulateGrad
fills); each shows its grad_fn name, the expression that made it in the user's words and
its line, its shape and dtype, a short value, and after a backward the gradient that
flowed through it. An edge goes from an input to the op that used it (the forward
direction; gradients flow back along it). Shared subgraphs appear once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from adcli.engine.tensor import Tensor
from adcli.errors import LimitError

DEFAULT_MAX_NODES = 5000


@dataclass
class GNode:
    id: int
    kind: str  # "op" or "leaf"
    grad_fn: str  # torch's name: MulBackward0, AccumulateGrad
    var: str | None  # the user's name for its tensor
    text: str | None  # the expression that made it
    line: int | None
    shape: tuple
    dtype: str
    value: object = None  # a numpy array, when known
    grad: object = None  # the gradient that flowed through it (array), when there was one
    retains_grad: bool = False
    requires_grad: bool = True
    depth: int = 0  # edges from the root
    folded: int = 0  # inputs not shown (past --depth)
    inner: bool = False  # made inside its expression's call (a module's, a function's)


@dataclass
class Graph:
    nodes: list[GNode] = field(default_factory=list)
    edges: list[tuple[int, int, int]] = field(default_factory=list)  # (input, op, slot)
    root: int | None = None
    title: str = ""
    expr: bool = False  # one expression: its line numbers say nothing

    def inputs_of(self, op: int) -> list[int]:
        return [a for a, b, _ in sorted(self.edges, key=lambda e: e[2]) if b == op]

    def to_json(self) -> dict:
        return {
            "title": self.title,
            "root": self.root,
            "nodes": [{
                "id": n.id, "kind": n.kind, "grad_fn": n.grad_fn, "name": n.var,
                "expr": n.text, "line": n.line, "shape": list(n.shape), "dtype": n.dtype,
                "value": _plain(n.value), "grad": _plain(n.grad),
                "retains_grad": n.retains_grad, "requires_grad": n.requires_grad,
                "folded_inputs": n.folded,
            } for n in self.nodes],
            "edges": [{"from": a, "to": b, "input": k} for a, b, k in self.edges],
        }


def _plain(a):
    if a is None:
        return None
    a = np.asarray(a)
    if a.size > 1000:
        return {"shape": list(a.shape), "mean": float(a.mean()), "norm": float(np.linalg.norm(
            a.astype(np.float64).ravel()))}
    return a.tolist() if a.ndim else a.item()


def _dtype_name(npdtype) -> str:
    from adcli.engine import dtypes as dt

    d = dt.BY_NP.get(np.dtype(npdtype))
    return d.name if d is not None and hasattr(d, "name") else str(npdtype)


def build(value, names: dict, *, depth: int | None = None,
          max_nodes: int = DEFAULT_MAX_NODES, title: str = "") -> Graph:
    """The graph below ``value`` (a Tensor, or an object with a ``_grad_fn``). Raises
    LimitError when more than ``max_nodes`` nodes would be shown (give ``depth``)."""
    g = Graph(title=title)
    root_node = getattr(value, "_grad_fn", None)
    if isinstance(value, Tensor) and root_node is None:
        g.nodes.append(_leaf(0, value, names, 0))
        g.root = 0
        return g
    if root_node is None:
        return g
    ids: dict = {}  # id(engine node or leaf tensor) -> GNode id
    order = [(root_node, 0)]
    ids[id(root_node)] = 0
    g.nodes.append(_op(0, root_node, names, 0, value if isinstance(value, Tensor) else None))
    g.root = 0
    i = 0
    while i < len(order):
        node, d = order[i]
        i += 1
        me = ids[id(node)]
        if depth is not None and d >= depth:
            g.nodes[me].folded = sum(1 for e in node._next if e is not None)
            continue
        for slot, e in enumerate(node._next):
            if e is None:
                continue
            key = id(e)
            if key not in ids:
                if len(g.nodes) >= max_nodes:
                    total = _count(root_node)
                    raise LimitError(
                        f"the graph has {total:,} nodes, more than the {max_nodes:,} that "
                        "can be drawn; show the part near the output with --depth N (e.g. "
                        "--depth 5), or raise --max-shown")
                nid = len(g.nodes)
                ids[key] = nid
                if e.__class__ is Tensor:
                    g.nodes.append(_leaf(nid, e, names, d + 1))
                else:
                    g.nodes.append(_op(nid, e, names, d + 1, None))
                    order.append((e, d + 1))
            g.edges.append((ids[key], me, slot))
    return g


def _count(root, cap: int = 10**7) -> int:
    seen = {id(root)}
    stack = [root]
    while stack and len(seen) < cap:
        for e in stack.pop()._next:
            if e is not None and id(e) not in seen:
                seen.add(id(e))
                if e.__class__ is not Tensor:
                    stack.append(e)
    return len(seen)


def _leaf(nid: int, t: Tensor, names: dict, depth: int) -> GNode:
    grad = t._grad._data if getattr(t, "_grad", None) is not None else None
    return GNode(nid, "leaf", "AccumulateGrad" if t.requires_grad else "(constant)",
                 names.get(id(t)), None, None, tuple(t._data.shape),
                 _dtype_name(t._data.dtype), t._data, grad,
                 requires_grad=bool(t.requires_grad), depth=depth)


def _op(nid: int, node, names: dict, depth: int, tensor) -> GNode:
    site = getattr(node, "_see_site", None)
    value = getattr(node, "_see_value", None)
    if value is None and tensor is not None:
        value = tensor._data
    grad = getattr(node, "_see_grad", None)
    if grad is not None and not isinstance(grad, np.ndarray):
        grad = getattr(grad, "_data", None)
    shape = tuple(getattr(node, "_shape", ()) or ())
    dtype = getattr(node, "_dtype", None)
    return GNode(nid, "op", node.name().rsplit("::", 1)[-1], names.get(id(node)),
                 site.text if site else None, site.line if site else None, shape,
                 _dtype_name(dtype) if dtype is not None else "", value, grad,
                 retains_grad=getattr(node, "_retain", None) is not None, depth=depth,
                 inner=site is not None and not getattr(node, "_see_top", False))


# -- short texts, shared by the formats --------------------------------------------------------
def short(a, width: int = 40) -> str:
    """A value in a few characters: the number, a short list, or its shape and range."""
    if a is None:
        return ""
    a = np.asarray(a)
    if a.dtype.kind == "b":
        a = a.astype(np.int8)
    if a.ndim == 0:
        return _num(a.item())
    if a.size <= 12:
        text = _nested(a)
        if len(text) <= width:
            return text
    flat = a.astype(np.float64).ravel()
    if flat.size and np.all(flat == flat[0]):
        return f"all {_num(flat[0])}"
    finite = flat[np.isfinite(flat)]
    if finite.size == 0:
        return f"{flat.size} non-finite"
    return f"{_num(finite.min())} … {_num(finite.max())}, mean {_num(finite.mean())}"


def _num(v) -> str:
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    v = float(v)
    if v != v or v in (float("inf"), float("-inf")):
        return str(v)
    if v == int(v) and abs(v) < 1e6:
        return f"{int(v)}."
    return f"{v:.4g}"


def _nested(a) -> str:
    if a.ndim == 0:
        return _num(a.item())
    return "[" + ", ".join(_nested(x) for x in a) + "]"


def shape_text(n: GNode) -> str:
    return f"[{', '.join(map(str, n.shape))}] {n.dtype}".strip()


def title_of(n: GNode) -> str:
    """The node's first line: its name and the expression that made it."""
    if n.kind == "leaf":
        return n.var or "leaf tensor"
    if n.inner and n.text:
        return f"in {n.text}"
    if n.var and n.text:
        return f"{n.var} = {n.text}"
    return n.text or n.var or "(inside an op)"
