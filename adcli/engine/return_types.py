"""torch.return_types: the named tuples that several-output ops return (``U, S, Vh``,
``LU, pivots``...)."""

from __future__ import annotations


def named_result(name: str, fields: tuple):
    """A torch.return_types class: a tuple whose items are also named fields."""

    def __repr__(self) -> str:
        body = ",\n".join(f"{k}={v!r}" for k, v in zip(fields, self))
        return f"torch.return_types.{name}(\n{body})"

    ns = {"__slots__": (), "_fields": fields, "__repr__": __repr__, "__module__": __name__}
    for i, f in enumerate(fields):
        ns[f] = property(lambda self, i=i: self[i])
    return type(name, (tuple,), ns)
