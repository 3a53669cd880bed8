"""CPython 3.11's "Did you mean: 'x'?" for a NameError or an AttributeError.

Python's traceback printer (not the exception's message) adds the hint, so ``str(err)``
stays ``name 'lenght' is not defined`` and only the traceback's last line gains
``. Did you mean: 'length'?``. The rule, measured against CPython 3.11:

- candidates are tried list by list: for a NameError the running function's local
  variable names (parameters first, then the other locals in order of first binding),
  then the module's global names (its own dunders first), then the builtins; for an
  AttributeError, ``dir(obj)`` (sorted);
- a list of 750 names or more is skipped; so is a wrong name over 40 characters;
- the distance is Levenshtein's with a move costing 2 and a change of case 1, common
  prefixes and suffixes trimmed first; a candidate may be at most
  ``(len(name) + len(candidate) + 3) * 2 // 6`` away, and only a strictly closer one
  replaces the best so far (so the first of equals wins).
"""

from __future__ import annotations

import builtins

_MOVE = 2
_CASE = 1
_MAX_STRING = 40
_MAX_CANDIDATES = 750

# what `python file.py` has in its globals before the program's first line
MODULE_DUNDERS = ("__name__", "__doc__", "__package__", "__loader__", "__spec__",
                  "__annotations__", "__builtins__", "__file__", "__cached__")


def _substitution(a: str, b: str) -> int:
    if a == b:
        return 0
    return _CASE if a.lower() == b.lower() else _MOVE


def distance(a: str, b: str, max_cost: int) -> int:
    """The weighted edit distance of ``a`` and ``b``, or ``max_cost + 1`` once over."""
    if a == b:
        return 0
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    a, b = a[start:], b[start:]
    while a and b and a[-1] == b[-1]:
        a, b = a[:-1], b[:-1]
    if not a or not b:
        return (len(a) + len(b)) * _MOVE
    if len(a) > _MAX_STRING or len(b) > _MAX_STRING:
        return max_cost + 1
    if len(b) < len(a):
        a, b = b, a
    if (len(b) - len(a)) * _MOVE > max_cost:
        return max_cost + 1
    row = [(i + 1) * _MOVE for i in range(len(a))]
    result = 0
    for b_index, code in enumerate(b):
        diagonal = result = b_index * _MOVE
        minimum = None
        for index, ch in enumerate(a):
            substitute = diagonal + _substitution(code, ch)
            diagonal = row[index]
            result = min(min(result, diagonal) + _MOVE, substitute)
            row[index] = result
            if minimum is None or result < minimum:
                minimum = result
        if minimum is not None and minimum > max_cost:
            return max_cost + 1
    return result


def best_match(name: str, candidates) -> str | None:
    """The closest candidate within CPython's bound, or None."""
    candidates = list(candidates)
    if len(candidates) >= _MAX_CANDIDATES or len(name) > _MAX_STRING:
        return None
    best, best_distance = None, None
    for item in candidates:
        if not isinstance(item, str) or item == name:
            continue
        bound = (len(name) + len(item) + 3) * _MOVE // 6
        if best_distance is not None:
            bound = min(bound, best_distance - 1)
        d = distance(name, item, bound)
        if d > bound:
            continue
        if best is None or d < best_distance:
            best, best_distance = item, d
    return best


def for_name(name: str, local_names, module_names) -> str | None:
    """The hint for ``NameError: name 'name' is not defined``."""
    for candidates in (local_names, (*MODULE_DUNDERS, *module_names),
                       builtins.__dict__.keys()):
        found = best_match(name, candidates)
        if found is not None:
            return found
    return None


def for_attribute(name: str, dir_names) -> str | None:
    """The hint for ``AttributeError: ... has no attribute 'name'``."""
    return best_match(name, sorted(dir_names))


# torch's messages (2.13, verbatim) for an integer or bool tensor asked to require grad:
# torch.tensor(..., requires_grad=True) and factories, .requires_grad_(), and the
# .requires_grad setter word it differently.
INTEGER_GRAD_MESSAGES = (
    "Only Tensors of floating point and complex dtype can require gradients",
    "only Tensors of floating point dtype can require gradients",
    "only Tensors of floating point and complex dtype can require gradients",
)
INTEGER_GRAD_HINT = (
    "\nhint: integer and bool tensors have no gradient; make the values floating point, "
    "e.g. torch.tensor([1., 2.], requires_grad=True) (1. rather than 1), "
    "dtype=torch.float32, or x.float().requires_grad_()"
)


def hint(error) -> str:
    """``. Did you mean: 'x'?`` for an error that carries what CPython would search, or
    nothing. (A NameError carries ``name``, ``local_names`` and ``module_names``; an
    AttributeError ``name`` and ``dir_names``.)

    torch's RuntimeError for an integer tensor asked to require grad gets adcli's own
    hint on a line of its own after torch's unchanged text."""
    if getattr(error, "kind", None) == "RuntimeError" and str(error) in INTEGER_GRAD_MESSAGES:
        return INTEGER_GRAD_HINT
    name = getattr(error, "missing_name", None)
    if not isinstance(name, str):
        return ""
    if getattr(error, "kind", None) == "NameError" and hasattr(error, "module_names"):
        found = for_name(name, getattr(error, "local_names", ()), error.module_names)
    elif getattr(error, "kind", None) == "AttributeError" and hasattr(error, "dir_names"):
        found = for_attribute(name, error.dir_names)
    else:
        return ""
    return f". Did you mean: '{found}'?" if found else ""
