"""Iteration is lazy, or counted against the Python-object bound before anything is built.

``list``/``tuple`` of a sized iterable are refused on its length; of an iterator (zip,
enumerate) on its length hint, or after at most one item past the bound. Unpacking reads
one item more than it has targets. ``for`` over a tensor makes one row per step, so the
step bound stops a long loop. Calls that make one tensor per row (``split``, ``unbind``)
or one reverse pass per output element (``jacobian``), and ``torch.Size`` of an iterator,
are bounded the same way.
"""

import pytest

from adcli.errors import LimitError
from adcli.lang.interpreter import Session
from adcli.limits import Limits

from .harness import address_space_cap, assert_no_leak, assert_rejected, run_script

MB = 1 << 20

REFUSED = [
    ("list-of-zip", "list(zip(range(10**9), range(10**9)))\n", (1, 1), "LimitError", "items"),
    ("tuple-of-zip", "tuple(zip(range(10**9), range(3 * 10**8)))\n", (1, 1), "LimitError",
     "items"),
    ("list-of-enumerate", "list(enumerate(range(10**9)))\n", (1, 1), "LimitError", "items"),
    ("list-of-enumerate-of-zip", "list(enumerate(zip(range(10**9), range(10**9))))\n", (1, 1),
     "LimitError", "items"),
    ("list-of-range-10**30", "list(range(10**30))\n", (1, 1), "LimitError", "items"),
    ("list-of-string", "list('a' * 10**8)\n", (1, 1), "LimitError", "items"),
    ("list-of-numpy-array", "list(ones(10**8).numpy())\n", (1, 1), "LimitError", "items"),
    ("unpack-range", "a, b = range(10**9)\n", (1, 1), "ValueError",
     "too many values to unpack (expected 2)"),
    ("unpack-zip", "a, b = zip(range(10**9), range(10**9))\n", (1, 1), "ValueError",
     "too many values to unpack (expected 2)"),
    ("unpack-string", "a, b, c = 'x' * 10**8\n", (1, 1), "ValueError",
     "too many values to unpack (expected 3)"),
    ("unpack-tensor", "a, b = ones(10**8)\n", (1, 1), "ValueError",
     "too many values to unpack (expected 2)"),
    ("unpack-in-for", "for a, b in [range(10**9)]:\n    pass\n", (1, 5), "ValueError",
     "too many values"),
    ("size-of-range", "Size(range(10**9))\n", (1, 1), "LimitError", "items"),
    ("size-plus-range", "ones(2).shape + range(10**9)\n", (1, 15), "TypeError", "range"),
    ("backward-of-range", "autograd.backward(range(10**9))\n", (1, 10), "TypeError",
     "sequence of Tensors"),
    ("grad-of-zip", "autograd.grad(zip(range(10**9)), ones(1, requires_grad=True))\n", (1, 10),
     "TypeError", "sequence of Tensors"),
    ("split-into-rows", "ones(10**8).split(1)\n", (1, 13), "LimitError", "tensors"),
    ("chunk-into-rows", "ones(10**8).chunk(10**8)\n", (1, 13), "LimitError", "tensors"),
    ("jacobian-elements", "autograd.functional.jacobian(lambda a: a, ones(10**5))\n", (1, 21),
     "LimitError", "elements"),
    ("jacobian-passes", "autograd.functional.jacobian(lambda a: a.expand(10**7), ones(1))\n",
     (1, 21), "LimitError", "reverse passes"),
]


@pytest.mark.parametrize("source, pos, kind, words", [c[1:] for c in REFUSED],
                         ids=[c[0] for c in REFUSED])
def test_refused_before_building(source, pos, kind, words):
    with address_space_cap(2 << 30):
        o = run_script(source, trace_memory=True)
    assert_rejected(o, kind, pos, words)
    assert o.elapsed < 5.0, o.elapsed
    assert o.peak_bytes < 600 * MB, o.peak_bytes  # ones(10**8) itself takes 400 MB


def test_a_loop_over_a_long_tensor_makes_one_row_per_step():
    with address_space_cap(1 << 30):
        o = run_script("x = ones(10**7, 1)\nfor row in x:\n    pass\n", max_steps=10_000,
                       trace_memory=True)
    assert_no_leak(o)
    assert o.error.kind == "LimitError" and "steps" in str(o.error)
    assert o.peak_bytes < 100 * MB, o.peak_bytes  # the tensor's 40 MB, not 10**7 rows


def test_iterators_are_read_at_most_one_item_past_the_bound():
    from adcli import limits

    limits.install(Limits(max_elements=1000))
    read = []

    def endless():
        while True:
            read.append(1)
            yield 0

    with pytest.raises(LimitError, match="more than 100 items"):
        limits.bounded_items(endless(), "list()")
    assert len(read) == 101
    assert limits.bounded_items(iter(range(100)), "list()") == list(range(100))


def test_zip_and_enumerate_have_length_hints():
    s = Session(limits=Limits(max_elements=1000), out=lambda text: None)
    s.exec_source("it = zip(range(10**9), 'a' * 200)\n")
    with pytest.raises(LimitError, match="list\\(\\) of 200 items"):
        s.exec_source("list(it)\n")
    assert s.exec_source("e = enumerate(range(50))\nlen(list(e))\n") == 50


WORKS = [
    ("list(zip([1, 2], 'ab'))", "[(1, 'a'), (2, 'b')]"),
    ("list(enumerate('ab', start=1))", "[(1, 'a'), (2, 'b')]"),
    ("tuple(zip(range(3), range(10**9)))", "((0, 0), (1, 1), (2, 2))"),
    ("a, b = range(2)\n(a, b)", "(0, 1)"),
    ("[a, b] = zip([1, 2], [3, 4])\n(a, b)", "((1, 3), (2, 4))"),
    ("a, b = ones(2, 1)\n(a, b)", "(tensor([1.]), tensor([1.]))"),
    ("a, = 'x'\na", "'x'"),
    ("n = 0\nfor i, row in enumerate(arange(6).reshape(3, 2)):\n    n = n + row.sum()\nn",
     "tensor(15)"),
    ("list(ones(2, requires_grad=True) * 2)[1].grad_fn.name()", "'UnbindBackward0'"),
    ("Size([2, 3]) + (4,)", "torch.Size([2, 3, 4])"),
    ("zip([1])", "<zip object at"),
]


@pytest.mark.parametrize("source, shown", WORKS)
def test_lazy_iteration_keeps_python_semantics(source, shown):
    o = run_script(source + "\n")
    assert_no_leak(o)
    assert not o.errors, o.err
    assert shown in o.out, o.out


@pytest.mark.parametrize("source, words", [
    ("a, b = range(1)", "not enough values to unpack (expected 2, got 1)"),
    ("a, b = 5", "not iterable"),
    ("a, b = tensor(1.)", "0-d tensor"),
])
def test_unpacking_errors_are_pythons(source, words):
    o = run_script(source + "\n")
    assert_no_leak(o)
    assert o.error.kind in ("ValueError", "TypeError") and words in str(o.error), str(o.error)
