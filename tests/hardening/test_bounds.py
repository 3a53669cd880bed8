"""Bounded resources: each bound ends in a LimitError that names the line, at once.

Tensor sizes are refused on the shape, before numpy allocates (checked with tracemalloc,
which numpy reports its buffers to). Loops, graphs, nesting, input size and integer
powers are refused within their bounds, quickly.
"""

import pytest

from .harness import assert_no_leak, assert_rejected, run_script

MB = 1 << 20

# (id, source, (line, col), words in the message, bounds)
REFUSED_AT_ONCE = [
    ("ones-1e10", "ones(100000, 100000)\n", (1, 1), "10,000,000,000 elements", {}),
    ("broadcast-1e10", "ones(100000, 1) * ones(1, 100000)\n", (1, 17), "elements", {}),
    ("broadcast-in-place", "x = ones(100000, 1)\nx += ones(1, 100000)\n", (2, 1), "elements",
     {}),
    ("matmul-1e10", "ones(100000, 1) @ ones(1, 100000)\n", (1, 17), "elements", {}),
    ("outer-1e10", "outer(ones(100000), ones(100000))\n", (1, 1), "elements", {}),
    ("expand-1e10", "ones(1).expand(100000, 100000)\n", (1, 9), "elements", {}),
    ("repeat-2e10", "ones(2).repeat(100000, 100000)\n", (1, 9), "elements", {}),
    ("zeros-requires-grad", "zeros(10**5, 10**5, requires_grad=True)\n", (1, 1), "elements",
     {}),
    ("randn-1e10", "randn(100000, 100000)\n", (1, 1), "elements", {}),
    ("full-1e10", "full((100000, 100000), 1.)\n", (1, 1), "elements", {}),
    ("eye-1e10", "eye(100000)\n", (1, 1), "elements", {}),
    ("arange-1e12", "arange(10**12)\n", (1, 1), "elements", {}),
    ("linspace-1e12", "linspace(0, 1, 10**12)\n", (1, 1), "elements", {}),
    ("cat-over-bound", "cat([ones(1000)] * 20)\n", (1, 1), "elements",
     {"max_elements": 10_000}),
    ("element-bound-is-configurable", "ones(101)\n", (1, 1), "--max-elements",
     {"max_elements": 100}),
    # Python values are bounded too: strings, lists, integers, formatting
    ("string-repeat", "'a' * 10**9\n", (1, 5), "items", {}),
    ("list-repeat", "[0] * 10**9\n", (1, 5), "items", {}),
    ("list-of-range", "list(range(10**9))\n", (1, 1), "items", {}),
    ("tensor-of-huge-list", "tensor([0.] * 10**9)\n", (1, 13), "items", {}),
    ("print-separator", "print(1, 2, sep='x' * 10**9)\n", (1, 21), "items", {}),
    ("format-star-width", "'%0*d' % (2**31 - 1, 1)\n", (1, 8), "formatting", {}),
    ("format-literal-width", "'%0100000000d' % 1\n", (1, 16), "formatting", {}),
    ("power-tower", "10**10**8\n", (1, 3), "bits", {}),
    ("repeated-squaring", "x = 2\nfor i in range(100):\n    x = x * x\n", (3, 11), "bits", {}),
    ("product-in-place", "x = 2**4000\nx *= x\n", (2, 1), "bits", {}),
    # nesting depth: refused by the parser, without recursion
    ("minus-20000", "-" * 20000 + "1\n", (1, 19801), "nests deeper than 200", {}),
    ("parens-20000", "(" * 20000 + "1" + ")" * 20000 + "\n", (1, 201), "brackets", {}),
    ("parens-unclosed-20000", "(" * 20000 + "\n", (1, 201), "brackets", {}),
    ("power-5000", "2^" * 5000 + "2\n", (1, 9602), "nests deeper than 200", {}),
    ("brackets-20000", "[" * 20000 + "\n", (1, 201), "brackets", {}),
    ("not-chain", "not " * 5000 + "1\n", (1, 19201), "nests deeper", {}),
    ("attribute-chain", "x" + ".T" * 5000 + "\n", (1, 401), "nests deeper", {}),
    ("call-chain", "f" + "()" * 5000 + "\n", (1, 1), "nests deeper", {}),
    ("lambda-chain", "lambda: " * 5000 + "1\n", (1, 38401), "nests deeper", {}),
    ("nested-blocks", "".join(" " * i + "if 1:\n" for i in range(300)) + " " * 300 + "pass\n",
     (201, 201), "nests deeper", {}),
    ("depth-bound-is-configurable", "((((1))))\n", (1, 4), "--max-depth", {"max_depth": 3}),
    # input size
    ("ten-megabyte-line", "x = " + "1" * (10 * MB) + "\n", (1, 1), "--max-input-bytes", {}),
    ("input-bound-is-configurable", "x = 1\n" * 20, (1, 1), "characters",
     {"max_input_bytes": 100}),
]


@pytest.mark.parametrize("source, pos, words, bounds", [c[1:] for c in REFUSED_AT_ONCE],
                         ids=[c[0] for c in REFUSED_AT_ONCE])
def test_refused_at_once_without_allocating(source, pos, words, bounds):
    o = run_script(source, trace_memory=True, **bounds)
    assert_rejected(o, "LimitError", pos, words, caret=len(source) < 10 * MB)
    assert o.elapsed < 5.0, o.elapsed  # refused, not computed: a loose guard under tracemalloc
    assert o.peak_bytes < 64 * MB, o.peak_bytes  # the source itself is 10 MB at most


@pytest.mark.parametrize("source, pos", [
    # lambdas calling lambdas: CPython's RecursionError at its limit of 1000 frames
    ("f = lambda g: g(g)\nf(f)\n", (1, 15)),
    ("f = lambda x: x\nfor i in range(1000):\n    f = (lambda g: lambda x: g(x) + 1)(f)\nf(1)\n",
     (3, 30)),
])
def test_recursion_is_pythons_recursion_error(source, pos):
    o = run_script(source, trace_memory=True)
    assert_rejected(o, "RecursionError", pos, "maximum recursion depth exceeded")
    assert o.elapsed < 5.0, o.elapsed


def test_endless_loop_hits_the_step_bound():
    o = run_script("x = ones(1)\nwhile True:\n    pass\n", max_steps=10_000)
    assert_no_leak(o)
    assert o.error.kind == "LimitError" and "--max-steps" in str(o.error)
    assert o.error.pos in ((2, 1), (3, 5))  # the loop, or the statement in it
    assert o.elapsed < 2.0


def test_huge_range_hits_the_step_bound():
    o = run_script("for i in range(10**12):\n    pass\n", max_steps=10_000)
    assert_no_leak(o)
    assert o.error.kind == "LimitError" and "ADCLI_MAX_STEPS" in str(o.error)
    assert o.error.pos in ((1, 10), (2, 5))


def test_growing_graph_hits_the_node_bound():
    src = "x = ones(1, requires_grad=True)\ny = x\nwhile True:\n    y = y + x\n"
    o = run_script(src, max_nodes=1000)
    assert_no_leak(o)
    assert o.error.kind == "LimitError" and "graph nodes" in str(o.error)
    assert o.error.pos in ((3, 1), (4, 5))  # the loop, or the statement in it
    assert o.elapsed < 2.0


def test_growing_graph_hits_the_step_bound_first_when_it_is_lower():
    src = "x = ones(1, requires_grad=True)\ny = x\nwhile True:\n    y = y + x\n"
    o = run_script(src, max_steps=20_000)
    assert_no_leak(o)
    assert o.error.kind == "LimitError" and "steps" in str(o.error)
    assert o.error.pos[0] in (3, 4)


def test_a_graph_free_loop_never_hits_the_node_bound():
    src = "for i in range(5000):\n    a = 1\n    b = 2\n    c = 3\n"
    o = run_script(src, max_nodes=100)
    assert not o.errors, o.err


def test_lambda_calls_from_the_engine_count_as_steps():
    src = "f = lambda x: x * 2\nfor i in range(100000):\n    f(1)\n"
    o = run_script(src, max_steps=5000)
    assert_no_leak(o)
    assert o.error.kind == "LimitError" and "steps" in str(o.error)
    assert o.error.pos in ((2, 10), (3, 5))


def test_strings_grow_only_up_to_the_element_bound():
    o = run_script("s = 'ab'\nwhile True:\n    s = s + s\n")
    assert_rejected(o, "LimitError", (3, 11), "items")


def test_a_100000_node_backward_works_within_the_default_bounds():
    src = ("x = ones(1, requires_grad=True)\ny = x\nfor i in range(100000):\n    y = y + x\n"
           "y.backward()\nx.grad\n")
    o = run_script(src)
    assert_no_leak(o)
    assert not o.errors, o.err
    assert o.out == "tensor([100001.])\n"
    assert o.elapsed < 30


def test_deeply_nested_runtime_lists_are_a_limit_not_a_crash():
    src = "a = []\nfor i in range(100000):\n    a = [a]\nprint(a)\n"
    o = run_script(src)
    assert_rejected(o, "LimitError", (4, 1), "nests too deeply")


def test_deeply_nested_lists_do_not_become_tensors():
    src = "a = [1.]\nfor i in range(100):\n    a = [a]\ntensor(a)\n"
    o = run_script(src)
    assert_no_leak(o)
    assert o.error.kind in ("ValueError", "RuntimeError", "LimitError")
    assert o.error.pos == (4, 1)


def test_huge_integer_string_is_refused():
    o = run_script("int('9' * 5000)\n")
    assert_rejected(o, "ValueError", (1, 1), "digits")
