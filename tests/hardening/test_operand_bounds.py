"""Operators and indexing on numpy arrays, tensors and mixtures check the element bound
before numpy allocates: comparisons (``a[:, None] < a`` of a 20,000-element array would be
400 million bools), equality, augmented assignment, advanced indexing with index arrays
whose broadcast is huge (reading and writing), and nested lists that alias one list.

Each attack runs at its real size, under an address-space cap (so a regression fails with
a MemoryError rather than taking the machine's memory) and tracemalloc (numpy reports its
buffers to it), and must end in a LimitError that names the line and column.
"""

import pytest

from .harness import address_space_cap, assert_no_leak, assert_rejected, run_script

MB = 1 << 20
ARRAY = "a = ones(20000).numpy()\n"
INDEX = "i = arange(20000) % 10\nx = ones(10, 10)\n"

REFUSED = [
    ("numpy-less", ARRAY + "a[:, None] < a\n", (2, 1)),
    ("numpy-equal", ARRAY + "a[:, None] == a\n", (2, 1)),
    ("numpy-not-equal", ARRAY + "a != a[:, None]\n", (2, 1)),
    ("numpy-chain", ARRAY + "a[:, None] < a < 1\n", (2, 1)),
    ("numpy-plus", ARRAY + "a[:, None] + a\n", (2, 12)),
    ("numpy-in-place", ARRAY + "b = a[:, None]\nb += a\n", (3, 1)),
    ("tensor-index-arrays", INDEX + "x[i[:, None], i]\n", (3, 1)),
    ("tensor-index-lists", "x = ones(2, 1000)\nx[[0] * 10**6]\n", (2, 1)),
    ("tensor-index-write", INDEX + "x[i[:, None], i] = 1.\n", (3, 1)),
    ("tensor-index-write-recorded",
     INDEX + "y = x.clone().requires_grad_()\nz = y * 1\nz[i[:, None], i] = 1.\n", (5, 1)),
    ("numpy-index-arrays", INDEX + "x.numpy()[i.numpy()[:, None], i.numpy()]\n", (3, 3)),
    ("numpy-index-tensors", INDEX + "x.numpy()[i[:, None], i]\n", (3, 3)),
    ("numpy-index-list", "x = ones(2, 1000).numpy()\nx[[0] * 10**6]\n", (2, 1)),
    ("numpy-index-mask-and-array",
     "x = ones(20000, 1).numpy()\nm = x[:, 0] > 0\nj = (arange(20000) * 0).numpy()\n"
     "x[m, j[:, None]]\n", (4, 1)),
    ("tensor-of-aliased-lists", "tensor([[[0.] * 10**4] * 10**5])\n", (1, 1)),
    ("index-by-aliased-lists", "ones(3)[[[0] * 10**4] * 10**5]\n", (1, 1)),
]


@pytest.mark.parametrize("source, pos", [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_refused_before_allocating(source, pos):
    with address_space_cap(1 << 30):
        o = run_script(source, trace_memory=True)
    assert_rejected(o, "LimitError", pos, "elements")
    assert o.elapsed < 5.0, o.elapsed  # refused, not computed: a loose guard under tracemalloc
    assert o.peak_bytes < 64 * MB, o.peak_bytes


WITHIN = [
    ("a = ones(3).numpy()\na[:, None] < a\n", "[[False, False, False]"),
    ("a = ones(3).numpy()\na == 1\n", "array([ True,  True,  True])"),
    ("a = ones(3).numpy()\nones(3) == a\n", "False"),  # no elementwise == with numpy
    ("a = arange(6).reshape(2, 3).numpy()\na[[1, 0], [2, 0]]\n", "array([5, 0])"),
    ("a = arange(6).reshape(2, 3).numpy()\na[a > 2]\n", "array([3, 4, 5])"),
    ("a = arange(6).reshape(2, 3).numpy()\na[0, arange(2)]\n", "array([0, 1])"),
    ("x = arange(6).reshape(2, 3)\nx[[1, 0], 1:]\n", "tensor([[4, 5],"),
    ("x = arange(6.).reshape(2, 3)\nx[x > 2] = 0.\nx\n", "tensor([[0., 1., 2.],"),
    ("a = ones(2).numpy()\na is a\n", "True"),
]


@pytest.mark.parametrize("source, shown", WITHIN)
def test_within_the_bound_it_works(source, shown):
    o = run_script(source)
    assert_no_leak(o)
    assert not o.errors, o.err
    assert shown in o.out, o.out


def test_the_bound_is_the_configured_one():
    o = run_script("a = ones(40).numpy()\na[:, None] < a\n", max_elements=1000)
    assert_rejected(o, "LimitError", (2, 1), "1,600 elements")
    o = run_script("a = ones(30).numpy()\ntensor(a[:, None] < a).sum()\n", max_elements=1000)
    assert not o.errors, o.err


# numpy converts a range, a tensor or a list (of tensors) item by item, at a cost that no
# shape shows: a numpy operand meets only numpy's values and Python scalars
NOT_NUMPY_PEERS = [
    ("numpy-and-str", "x < 'a'\n", (2, 1), "'<' is not supported between 'ndarray'"),
    ("numpy-and-range", "x == range(10**9)\n", (2, 1), "'range'"),
    ("numpy-and-tensor", "x[:, None] * ones(20000)\n", (2, 12), "'Tensor'"),
    ("numpy-and-list", "x[:, None] == [[0.] * 20000]\n", (2, 1), "'list'"),
    ("numpy-and-aliased-list", "x == [[0.] * 20000] * 20000\n", (2, 1), "'list'"),
    ("numpy-and-list-of-tensors", "x == [ones(10**7)]\n", (2, 1), "'list'"),
    ("numpy-and-zip", "x != zip(range(10**9))\n", (2, 1), "'zip'"),
    ("numpy-in-place", "x += range(10**9)\n", (2, 1), "'range'"),
]


@pytest.mark.parametrize("source, pos, words", [c[1:] for c in NOT_NUMPY_PEERS],
                         ids=[c[0] for c in NOT_NUMPY_PEERS])
def test_numpy_meets_only_numpy_and_scalars(source, pos, words):
    with address_space_cap(1 << 30):
        o = run_script("x = ones(20000).numpy()\n" + source, trace_memory=True)
    assert_rejected(o, "TypeError", pos, words)
    assert o.elapsed < 5.0, o.elapsed  # refused, not computed: a loose guard under tracemalloc
    assert o.peak_bytes < 64 * MB, o.peak_bytes


@pytest.mark.parametrize("key, words", [
    ("[ones(10**7)]", "valid indices"),
    ("[[0, 'a']]", "valid indices"),
    ("(lambda: 0)", "valid indices"),
])
def test_numpy_indices_are_numpy_index_types(key, words):
    with address_space_cap(1 << 30):
        o = run_script(f"x = ones(3).numpy()\nx[{key}]\n", trace_memory=True)
    assert_rejected(o, "IndexError", (2, 1), words)
    assert o.peak_bytes < 64 * MB, o.peak_bytes


def test_a_range_index_over_the_element_bound_is_refused_before_allocating():
    # numpy takes a range as an index (a list of its ints); one over the element bound
    # is refused from its length, before numpy would make the array
    with address_space_cap(1 << 30):
        o = run_script("x = ones(3).numpy()\nx[range(10**9)]\n", trace_memory=True)
    assert_rejected(o, "LimitError", (2, 1), "over the limit")
    assert o.peak_bytes < 64 * MB, o.peak_bytes
