"""The declaration of an op: every name it has in torch, its grad_fn, its calculus, its doc.

One ``Op`` per op, in the family tables of ``adcli/engine/declarations/``. Everything that
lists ops is derived from them: the ``Tensor`` methods and operators, the ``torch.`` and
``torch.nn.functional`` namespaces, the language's name table, ``docs/functions.md``, the
gradient formulas (``engine/calculus.py``) and the tests' list of ops. Adding an op is one
``Op`` (and its grad_fn class, its ``calculus`` and tests).

The forward is ``function`` (torch's signature, checking its arguments, then calling the
grad_fn's ``apply``); the backward is the grad_fn's ``backward(F, g, *saved)``, one
gradient per input; ``jvp`` is the forward-mode formula, or ``DERIVED`` where it comes
from the backward (the VJP transposed: the double-backward trick of torch.func).
"""

from __future__ import annotations

from collections.abc import Callable

from adcli.engine.ops import inplace
from adcli.engine.tensor import Tensor
from adcli.errors import TorchTypeError

DERIVED = "derived from the backward"  # a JVP obtained by transposing the VJP


class Op:
    """One op under all of its names.

    - ``name``: the torch function name (``torch.NAME``, and ``Tensor.NAME`` unless
      ``method`` says otherwise); ``aliases``: more names for the same function/method.
    - ``function``: the forward at torch's signature; by default ``grad_fn[0]`` applied
      to one tensor argument (the plain unary ops).
    - ``method``: ``True`` (the function, ``self`` as ``input``), ``False`` (none) or the
      callable to bind (a faster path or another argument order).
    - ``in_torch``: whether ``torch.NAME`` exists (``view`` and ``expand`` are methods only).
    - ``inplace``: ``Tensor.NAME_``; ``inplace_aliases``: more in-place method names.
    - ``nn``: the ``torch.nn.functional`` function, when there is one of this name.
    - ``operators``: the Python operators (``__add__``, ...) bound to callables.
    - ``grad_fn``: the Node classes the op records (their names are torch's grad_fn names).
    - ``jvp``: ``DERIVED`` or a formula ``(F, tangents, inputs, result) -> tangent``.
    - ``calculus``: per grad_fn class name, the gradient it passes to each of its inputs,
      in the order of the node's inputs (``_next``): a tuple of ``(input, formula)``. A
      formula is the VJP in derivatives.yaml's notation (``grad``: the incoming gradient,
      ``result``: the node's output, and the op's parameter names), without the sums over
      broadcast dims that the engine adds; an elementwise one is written
      ``grad * (LOCAL)`` or ``grad * NAME``. An input named ``*NAME`` stands for all the
      remaining inputs (``i`` in its formula is the position among them). The notation is
      listed in ``engine/calculus.py``, which serves the formulas.
    - ``doc``: the one line of ``docs/functions.md``; ``group``: its heading there.
    """

    __slots__ = ("name", "doc", "function", "grad_fn", "aliases", "method", "in_torch",
                 "inplace", "inplace_aliases", "nn", "operators", "jvp", "group", "calculus")

    def __init__(self, name: str, doc: str, function: Callable | None = None,
                 grad_fn: tuple = (), *, aliases: tuple = (), method: Callable | bool = True,
                 in_torch: bool = True, inplace: Callable | None = None,
                 inplace_aliases: tuple = (), nn: Callable | None = None,
                 operators: dict | None = None, jvp: Callable | str = DERIVED,
                 group: str = "", calculus: dict | None = None) -> None:
        self.name, self.doc, self.grad_fn, self.aliases = name, doc, grad_fn, aliases
        self.function = unary_function(grad_fn[0], name) if function is None else function
        self.method, self.in_torch, self.inplace = method, in_torch, inplace
        self.inplace_aliases, self.nn, self.operators = inplace_aliases, nn, operators or {}
        self.jvp, self.group = jvp, group
        self.calculus = dict(calculus or {})

    def __repr__(self) -> str:
        return f"<Op {self.name}>"

    @property
    def names(self) -> tuple:
        """Its function and method names, the first one torch's own."""
        return (self.name, *self.aliases)

    def method_callable(self) -> Callable | None:
        if self.method is False:
            return None
        return self.function if self.method is True else self.method

    def inplace_names(self) -> tuple:
        if self.inplace is None:
            return ()
        return (self.name + "_", *self.inplace_aliases)


def unary_function(cls, name: str) -> Callable:
    """``torch.NAME(input)`` for an op on one tensor with no arguments."""
    apply = cls.apply

    def fn(input):
        if not isinstance(input, Tensor):
            raise TorchTypeError(
                f"{name}(): argument 'input' must be a Tensor, not {type(input).__name__}")
        return apply(input)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"torch.{name}"
    return fn


def unary_inplace(cls) -> Callable:
    """``Tensor.NAME_()`` for an op on one tensor with no arguments."""

    def fn(input):
        return inplace(input, cls)

    return fn


def family(title: str, *ops: Op) -> tuple:
    """A family's table: its ops, each filed under ``title`` unless it names its group."""
    for op in ops:
        op.group = op.group or title
    return ops
