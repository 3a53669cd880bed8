"""The op registry: the family tables, and every list of names derived from them.

``OPS`` is every declared op, family by family. From it come the ``Tensor`` methods and
operators (``install``), the ``torch.`` functions (``torch_functions``), the
``torch.nn.functional`` functions (``nn_functions``), the doc's groups (``groups``), the
gradient formulas (``engine/calculus.py``, with ``internal`` for the grad_fn classes no op
declares) and the tests' list of ops. No name is written down twice.
"""

from __future__ import annotations

from adcli.engine.declarations import (
    conversions,
    elementwise,
    internal,
    linalg,
    nn,
    reductions,
    scatters,
    selection,
    shape,
    special,
)
from adcli.engine.declare import Op

OPS: tuple[Op, ...] = (
    *elementwise.OPS, *elementwise.COMPARISONS, *reductions.OPS, *linalg.OPS, *shape.OPS,
    *selection.OPS, *scatters.OPS, *scatters.PRODUCTS, *special.OPS,
    *nn.OPS, *conversions.OPS, *nn.FUNCTIONAL,
)


def torch_functions() -> dict:
    """``torch.NAME`` for every declared op that has one, aliases included."""
    out = {}
    for op in OPS:
        if op.in_torch:
            for name in op.names:
                out[name] = op.function
    return out


def special_functions() -> dict:
    """``torch.special.NAME``: each name's op (``special.SPECIAL``), by the op's name."""
    by_name = {op.name: op.function for op in OPS}
    return {name: by_name[v] if isinstance(v, str) else v for name, v in special.SPECIAL.items()}


def tensor_methods() -> dict:
    """``Tensor.NAME`` for every method, in-place method and operator the ops declare."""
    out = {}
    for op in OPS:
        fn = op.method_callable()
        if fn is not None:
            for name in op.names:
                out[name] = fn
        for name in op.inplace_names():
            out[name] = op.inplace
        out.update(op.operators)
    return out


def nn_functions() -> dict:
    """``torch.nn.functional.NAME`` for every op that has one."""
    return {op.name: op.nn for op in OPS if op.nn is not None}


def groups() -> dict:
    """The doc's headings, each with its ops in declaration order."""
    out: dict = {}
    for op in OPS:
        out.setdefault(op.group, []).append(op)
    return out


def duplicates() -> list:
    """Names that two ops claim (a test keeps this empty)."""
    seen: dict = {}
    dup = []
    for op in OPS:
        keys = [("torch", n) for n in op.names if op.in_torch]
        if op.method_callable() is not None:
            keys += [("method", n) for n in op.names]
        keys += [("method", n) for n in op.inplace_names()]
        keys += [("method", n) for n in op.operators]
        keys += [("nn", op.name)] if op.nn is not None else []
        for key in keys:
            if key in seen and seen[key] is not op:
                dup.append(f"{key[0]} {key[1]}: {seen[key].name} and {op.name}")
            seen[key] = op
    return dup


def install(cls) -> None:
    """Give ``cls`` (Tensor) the methods and operators the ops declare; called once, when
    the engine package is imported."""
    for name, fn in tensor_methods().items():
        setattr(cls, name, fn)


def calculus_sources() -> list:
    """Where the gradient formulas are declared: (the op's name, its ``calculus``) for each
    op that has one, then ("internal", the table of the grad_fn classes no op declares).
    ``engine/calculus.py`` serves them, with ``internal.BY_CLASS`` and ``internal.INHERITED``."""
    return [(op.name, op.calculus) for op in OPS if op.calculus] + [
        ("internal", internal.CALCULUS)]
