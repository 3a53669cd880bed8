"""The type-confusion fuzz's machinery: what to call, with what, and how a call is judged.

``targets(session)`` lists every callable a script can reach through the name tables, as
(label, factory) pairs: the functions of ``names.GLOBALS`` and of the torch,
torch.nn.functional, torch.autograd and torch.autograd.functional namespaces, the tensor
methods (``TENSOR_ACCESSORS``) on several receivers, and the list, tuple, handle,
grad_fn and return-type accessors. ``values(session)`` makes, afresh each time, the
values a script can hold, most of them of a type that a given function does not expect.
``judge`` runs one call as the interpreter runs it (inside ``_locate``, the result shown
with ``repr``) and says what went wrong, if anything. Used by ``test_type_confusion.py``.
"""

from __future__ import annotations

import inspect
import signal
from contextlib import contextmanager

from adcli import printing as _printing
from adcli.engine import tensor as T
from adcli.errors import AdcliError
from adcli.lang import names as N
from adcli.lang.interpreter import Session, _locate, get_attribute
from adcli.lang.parser import parse
from adcli.limits import Limits

BOUNDS = {"max_elements": 10**6, "max_steps": 10**5, "max_nodes": 10**5}
# one call running longer than this is a hang (LAPACK on the 1000x1000 value takes about a
# second alone, several on a loaded machine)
CALL_SECONDS = 10.0

# Every value a script can make that some function does not expect: one statement each,
# run in a fresh session for every target so that in-place methods cannot leak state.
VALUES_SOURCE = """\
str_ = 'a'
empty_str = ''
name_str = 'sum'
fro = 'fro'
none = None
list_ = [1]
nested_list = [[1, 2], [3, 4]]
ragged_list = [[1], [2, 3]]
list_of_str = ['a', 'b']
empty_list = []
tuple_ = (1, 2)
empty_tuple = ()
tensor_tuple = (ones(2), ones(2))
tensor_list = [ones(2), ones(3)]
mixed_list = [ones(2), 'a']
lambda1 = lambda a: a
lambda2 = lambda a, b: 'x'
lambda0 = lambda: 0
huge = 10**30
huge_neg = -10**30
int64_over = 2**63
big = 10**9
neg = -1
neg5 = -5
zero = 0
one = 1
two = 2
nan_ = nan
inf_ = inf
neg_inf = -inf
float_ = 1.5
neg_float = -0.5
true = True
false = False
t_f64 = ones(2, dtype=float64)
t_i64 = arange(3)
t_bool = tensor([True, False])
t_0d = tensor(1.5)
t_0d_int = tensor(3)
t_0d_bool = tensor(True)
t_empty = ones(0)
t_empty2 = ones(0, 3)
t_2x3 = ones(2, 3)
t_4d = ones(1, 2, 1, 2)
t_leaf = ones(2, requires_grad=True)
t_nonleaf = ones(2, requires_grad=True) * 2
t_neg_idx = tensor([-1, 5])
t_nan = tensor([nan, inf, -inf])
t_f16 = ones(2, dtype=float16)
t_u8 = tensor([1, 2], dtype=uint8)
t_big = ones(1000, 1000)
t_expanded = ones(1, 3).expand(4, 3)
t_int_max = tensor([2**63 - 1, -2**63])
t_10d = ones([1] * 10)
t_view = ones(4, 4, requires_grad=True)[1:3]
t_column = arange(6.).reshape(6, 1)
nd = ones(3).numpy()
nd_2d = ones(2, 3).numpy()
nd_int = arange(3).numpy()
nd_bool = tensor([True, False]).numpy()
nd_0d = tensor(2.5).numpy()
np_float = ones(3).numpy()[0]
np_int = arange(3).numpy()[2]
np_bool = tensor([True]).numpy()[0]
ns_torch = torch
ns_f = F
ns_autograd = autograd
ns_functional = autograd.functional
grad_fn = (ones(2, requires_grad=True) * 2).grad_fn
acc_grad = (ones(2, requires_grad=True) * 2).grad_fn.next_functions[0][0]
handle = ones(2, requires_grad=True).register_hook(lambda g: g)
range_ = range(10**9)
zip_ = zip(range(10**9), range(10**9))
enumerate_ = enumerate(range(10**9))
size = ones(2, 3).shape
dtype_f = float32
dtype_i = int64
dtype_b = bool
no_grad_ = no_grad()
max_result = max(ones(2, 3), 1)
function = ones
method = ones(2).sum
builtin = len
print_ = print
legacy = FloatTensor
device = ones(2).device
"""
VALUE_NAMES = [line.split(" = ")[0] for line in VALUES_SOURCE.splitlines()]

# Receivers of the tensor methods, and the "good" arguments put before a bad one.
RECEIVERS_SOURCE = """\
r_float = ones(2, 3)
r_int = tensor(3)
r_nonleaf = ones(2, 3, requires_grad=True) * 2
r_bool = tensor([True, False])
r_empty = ones(0)
good = ones(2, 3)
good_vec = ones(3)
good_fn = lambda a: a * 2
"""
RECEIVERS = ["r_float", "r_int", "r_nonleaf", "r_bool", "r_empty"]
GENERIC_KEYWORDS = ("dim", "keepdim", "dtype", "input", "other", "out", "requires_grad", "p",
                    "alpha", "retain_graph", "create_graph", "inplace", "start", "strict",
                    "sep", "end")


def new_session() -> Session:
    return Session(limits=Limits(**BOUNDS), out=lambda text: None)


_TREE: list = []  # the parsed VALUES_SOURCE + RECEIVERS_SOURCE, parsed once


def values(session: Session) -> dict:
    """A fresh set of the values (name -> object), made in ``session``."""
    if not _TREE:
        _TREE.append(parse(VALUES_SOURCE + RECEIVERS_SOURCE, "file_input", max_depth=200))
    session._compile(_TREE[0])(session.scope)
    scope = session.scope
    return {name: scope[name] for name in VALUE_NAMES + RECEIVERS + [
        "good", "good_vec", "good_fn"]}


# ---- what to call --------------------------------------------------------------------------
def _function_names() -> list[tuple[str, str]]:
    """(label, path) for every callable in the name tables: bare names and namespaces."""
    out = []
    for name, value in sorted(N.GLOBALS.items()):
        if name == "print" or (callable(value) and not isinstance(value, N.Namespace)):
            out.append((name, name))
    for prefix, ns in (("torch", N.TORCH), ("F", N.F), ("autograd", N.AUTOGRAD),
                       ("autograd.functional", N.AUTOGRAD_FUNCTIONAL)):
        for name, value in sorted(ns.members.items()):
            if callable(value) and not isinstance(value, N.Namespace):
                if prefix == "torch" and N.GLOBALS.get(name) is value:
                    continue  # the same object as the bare name, already listed
                out.append((f"{prefix}.{name}", f"{prefix}.{name}"))
    return out


FUNCTIONS = _function_names()
METHODS = sorted(N.TENSOR_ACCESSORS)
OTHER_ACCESSORS = (
    [("list", name) for name in sorted(N.LIST_ACCESSORS)]
    + [("tuple", name) for name in sorted(N.TUPLE_ACCESSORS)]
    + [("handle", name) for name in sorted(N.HANDLE_ACCESSORS)]
    + [("grad_fn", name) for name in sorted(N.GRAD_FN_ACCESSORS)]
    + [("acc_grad", name) for name in sorted(N.GRAD_FN_ACCESSORS)]
    + [("max_result", name) for name in sorted(N.RETURN_TYPE_ACCESSORS)]
)
OTHER_RECEIVERS = {"list": "list_", "tuple": "tuple_", "handle": "handle",
                   "grad_fn": "grad_fn", "acc_grad": "acc_grad", "max_result": "max_result"}


def resolve(session: Session, path: str):
    """The object a dotted name reaches in a script (``torch.autograd.grad``)."""
    head, *rest = path.split(".")
    obj = session.scope[head]
    for part in rest:
        obj = get_attribute(obj, part)
    return obj


def keywords(fn) -> tuple[str, ...]:
    """The keyword names ``fn`` takes (its signature's), plus common ones it may not."""
    try:
        params = inspect.signature(fn).parameters.values()
        own = tuple(p.name for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY))
    except (TypeError, ValueError):
        own = ()
    return own + tuple(k for k in GENERIC_KEYWORDS if k not in own)


# ---- how a call is judged --------------------------------------------------------------------
class Hang(BaseException):
    """A call ran past CALL_SECONDS (raised by the alarm; not an Exception, so nothing in
    adcli catches it)."""


def _alarm(signum, frame):
    raise Hang


@contextmanager
def alarms():
    """Install the handler that turns a call's overrun into ``Hang`` (once, not per call:
    installing a signal handler costs more than most calls)."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def judge(fn, args: tuple = (), kwargs: dict | None = None) -> str | None:
    """Call ``fn`` as a script's call runs (the result shown with repr); None if it ended in
    a value or an AdcliError, else what went wrong. Runs inside ``alarms()``."""
    kwargs = kwargs or {}
    signal.setitimer(signal.ITIMER_REAL, CALL_SECONDS)
    grad_mode = T.is_grad_enabled()
    try:
        if not callable(fn) or isinstance(fn, T.Tensor | type(None)):
            return None  # the interpreter refuses to call it, with a TypeError
        repr(fn(*args, **kwargs))
        return None
    except Hang:
        return f"ran longer than {CALL_SECONDS} s"
    except (RecursionError, MemoryError) as exc:
        return f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # noqa: BLE001 - what the fuzz looks for
        located = _locate(exc, (1, 1))
        original = getattr(located, "original", None)
        if isinstance(original, RecursionError | MemoryError):  # mapped to a LimitError
            return f"{type(original).__name__} (reported as: {located})"
        if isinstance(located, AdcliError):
            return None
        original = getattr(located, "original", exc)
        return f"internal error: {type(original).__name__}: {original}"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        T.set_grad_mode(grad_mode)
        # a call such as set_printoptions(threshold=<a device>) changes what every later
        # repr does: each call starts from a fresh process's settings, as a program does
        _printing.set_printoptions(profile="default")


def describe(path: str, args: tuple, kwargs: dict, names: dict) -> str:
    """A call as a script would write it, with the values' names (``sum(good, dim=str_)``)."""
    ids = {id(v): n for n, v in names.items()}

    def show(v):
        return ids.get(id(v), repr(v)[:40])

    parts = [show(a) for a in args] + [f"{k}={show(v)}" for k, v in kwargs.items()]
    return f"{path}({', '.join(parts)})"
