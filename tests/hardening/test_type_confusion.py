"""Type confusion: every name the language reaches, called with values of the wrong type.

Every callable of the name tables (names.GLOBALS, the torch, torch.nn.functional,
torch.autograd and torch.autograd.functional namespaces), every tensor method on five
receivers, and the list, tuple, handle, grad_fn and return-type accessors are called
with the values of ``confusion.VALUES_SOURCE``: strings, None, lists (nested, ragged, of
tensors), tuples, lambdas, huge and negative integers, nan and inf, bools, tensors of
other dtypes and shapes (0-d, empty, non-leaf), numpy arrays and scalars, namespaces,
grad_fn objects, hook handles, huge ranges and lazy zips, dtypes, functions. Every
operator and statement form (binary, comparison, unary, not, augmented assignment,
indexing, index assignment, unpacking, for, calls) gets every pair of them too.

A call passes if it ends in a value or an AdcliError. It fails if it would be an internal
error (any other exception), a RecursionError or MemoryError (which the interpreter would
turn into a LimitError, hiding the bug), or a hang (over ``confusion.CALL_SECONDS``).
The process runs under an address-space cap, so a blow-up fails instead of swapping.

Two layers, both deterministic:
- an exhaustive sweep: each name × each value, alone, after good arguments (a tensor, a
  tensor and 0, two tensors, a lambda, a lambda and a tensor) and as each keyword the
  name takes (one test per name; about 25 s in all on one core);
- hypothesis combinations of up to four positional and two keyword arguments drawn from
  all the values (``derandomize=True``); ``ADCLI_FUZZ_EXAMPLES`` sets the number of
  examples per test (default 300).
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adcli.lang.interpreter import _Compiler, get_attribute
from adcli.lang.parser import parse

from .confusion import (
    FUNCTIONS,
    METHODS,
    OTHER_ACCESSORS,
    OTHER_RECEIVERS,
    RECEIVERS,
    VALUE_NAMES,
    alarms,
    describe,
    judge,
    keywords,
    new_session,
    resolve,
    values,
)
from .harness import address_space_cap

EXAMPLES = int(os.environ.get("ADCLI_FUZZ_EXAMPLES", "300"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PREFIXES = [(), ("good",), ("good", "zero"), ("good", "good"), ("good_fn",),
            ("good_fn", "good")]
METHOD_PREFIXES = [(), ("zero",), ("good",)]
ALL_VALUES = VALUE_NAMES + RECEIVERS + ["good", "good_vec", "good_fn"]


@pytest.fixture(scope="module", autouse=True)
def capped_memory_and_alarms():
    with address_space_cap(3 << 30), alarms():
        yield


def _sweep(path: str, fn, names: dict, prefixes) -> list[str]:
    bad = []
    for value in VALUE_NAMES:
        for prefix in prefixes:
            args = tuple(names[p] for p in prefix) + (names[value],)
            problem = judge(fn, args)
            if problem:
                bad.append(f"{describe(path, args, {}, names)}: {problem}")
    for kw in keywords(fn):
        for value in VALUE_NAMES:
            args = (names["good"],) if prefixes is PREFIXES else ()
            problem = judge(fn, args, {kw: names[value]})
            if problem:
                bad.append(f"{describe(path, args, {kw: names[value]}, names)}: {problem}")
    return bad


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("path", [p for _, p in FUNCTIONS])
def test_functions_take_any_value(path, capsys):
    session = new_session()
    names = values(session)
    fn = resolve(session, path)
    bad = _sweep(path, fn, names, PREFIXES)
    assert not bad, "\n".join(bad[:20])


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("name", METHODS)
def test_methods_take_any_value(name, capsys):
    bad = []
    for receiver in RECEIVERS:
        session = new_session()
        names = values(session)
        obj = names[receiver]
        box = []
        problem = judge(lambda: box.append(get_attribute(obj, name)))  # noqa: B023
        if problem:
            bad.append(f"{receiver}.{name}: {problem}")
        if not box:  # an AdcliError (x.mT of a 1-d tensor): fine
            continue
        method = box[0]
        if callable(method) and not isinstance(method, type(obj)):
            prefixes = METHOD_PREFIXES if receiver == "r_float" else [()]
            bad += _sweep(f"{receiver}.{name}", method, names, prefixes)
    assert not bad, "\n".join(bad[:20])


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("owner, name", OTHER_ACCESSORS)
def test_other_accessors_take_any_value(owner, name, capsys):
    session = new_session()
    names = values(session)
    obj = names[OTHER_RECEIVERS[owner]]
    box = []
    problem = judge(lambda: box.append(get_attribute(obj, name)))
    assert problem is None, f"{owner}.{name}: {problem}"
    if box and callable(box[0]):
        bad = _sweep(f"{owner}.{name}", box[0], names, METHOD_PREFIXES)
        assert not bad, "\n".join(bad[:20])


@pytest.mark.filterwarnings("ignore")
def test_every_attribute_of_every_value(capsys):
    """``value.name`` for every value and every attribute name of every table."""
    from adcli.lang import names as N

    attributes = sorted(set(N.TENSOR_ACCESSORS) | set(N.LIST_ACCESSORS) | set(
        N.GRAD_FN_ACCESSORS) | set(N.RETURN_TYPE_ACCESSORS) | set(N.HANDLE_ACCESSORS) | set(
        N.TORCH.members) | {"functional", "nn", "missing"})
    session = new_session()
    names = values(session)
    bad = []
    for value in ALL_VALUES:
        for attribute in attributes:
            problem = judge(lambda: get_attribute(names[value], attribute))  # noqa: B023
            if problem:
                bad.append(f"{value}.{attribute}: {problem}")
    assert not bad, "\n".join(bad[:20])


# ---- operators and statements on every pair of values ---------------------------------------
EXPRESSIONS = ["a + b", "a - b", "a * b", "a / b", "a // b", "a % b", "a @ b", "a ** b",
               "a < b", "a <= b", "a > b", "a >= b", "a == b", "a != b", "a is b",
               "a < b < a", "a and b", "a[b]", "a(b)", "-a", "+a", "not a", "a[b:b]",
               "a[b, b]", "a[None, ..., b]"]
STATEMENTS = ["a += b", "a -= b", "a *= b", "a /= b", "a //= b", "a %= b", "a @= b",
              "a **= b", "a[b] = b", "a[b] += b", "p, q = a", "[p] = a", "a.data = b",
              "a.grad = b", "a.requires_grad = b", "for v in a:\n    break",
              "for p, q in a:\n    break", "with a:\n    pass"]


def _compiled(session, text: str):
    if text in EXPRESSIONS:
        tree = parse(text, "eval_input", max_depth=200)
        return _Compiler(session).expr(tree)
    return session._compile(parse(text + "\n", "file_input", max_depth=200))


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("text", EXPRESSIONS + STATEMENTS)
def test_operators_take_any_pair(text, capsys):
    bad = []
    session = names = None
    for left in ALL_VALUES:
        if names is None or text in STATEMENTS:  # statements may change their operands
            session = new_session()
            names = values(session)
            run = _compiled(session, text)
            scope = session.scope
        for right in ALL_VALUES:
            scope["a"], scope["b"] = names[left], names[right]
            problem = judge(run, (scope,))
            if problem:
                bad.append(f"{text} with a={left}, b={right}: {problem}")
    assert not bad, "\n".join(bad[:20])


# ---- hypothesis: combinations ---------------------------------------------------------------
TARGETS = [p for _, p in FUNCTIONS] + [f"{r}.{m}" for r in RECEIVERS for m in METHODS]


@st.composite
def calls(draw):
    target = draw(st.sampled_from(TARGETS))
    args = draw(st.lists(st.sampled_from(ALL_VALUES), max_size=4))
    kws = draw(st.lists(st.tuples(st.sampled_from(("dim", "keepdim", "dtype", "other", "p",
                                                  "out", "requires_grad", "retain_graph",
                                                  "create_graph", "alpha", "input")),
                                  st.sampled_from(ALL_VALUES)), max_size=2))
    return target, args, dict(kws)


@pytest.mark.filterwarnings("ignore")
@FUZZ
@given(calls())
def test_combinations_of_arguments(call):
    target, args, kws = call
    session = new_session()
    names = values(session)
    head, _, rest = target.partition(".")
    if head in RECEIVERS:
        box = []
        if judge(lambda: box.append(get_attribute(names[head], rest))) or not box:
            return
        fn = box[0]
    else:
        fn = resolve(session, target)
    argv = tuple(names[a] for a in args)
    kwargs = {k: names[v] for k, v in kws.items()}
    problem = judge(fn, argv, kwargs)
    assert problem is None, f"{describe(target, argv, kwargs, names)}: {problem}"
