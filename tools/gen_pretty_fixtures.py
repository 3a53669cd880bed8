#!/usr/bin/env python3
"""Record what Jupyter shows (``Out[n]``) for many values: the fixtures of tests/test_pretty.py.

Run with the venv that has torch 2.13 and IPython (``pip install ipython``)::

    /path/to/torchenv/bin/python tools/gen_pretty_fixtures.py [--check]

It writes two files under ``tests/fixtures/``; every expected text in them is the
output of IPython's own ``PlainTextFormatter`` (what the kernel puts in a cell's
``text/plain``), never of adcli:

* ``pretty_cases.json``: ``[{"name", "code", "expected"}]``. ``code`` is a notebook
  cell (statements, then the expression whose value is shown); it runs in a fresh
  ``__main__`` namespace where ``torch``, ``numpy as np`` and ``collections``' classes
  are imported, as the test's notebook cell imports them too.
* ``pretty_random.json``: ``{"seed", "cases": [{"literal", "expected"}]}``: random
  nested lists, tuples, dicts and sets of ints, floats, strings, bools and None;
  ``literal`` is the value's ``repr``, which ``ast.literal_eval`` reads back.

``--check`` writes nothing and exits 1 when a file would change.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import random
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "tests", "fixtures")
PRELUDE = ("import torch\nimport numpy as np\n"
           "from collections import Counter, OrderedDict, defaultdict, deque, namedtuple\n")
SEED = 20240613
RANDOM_COUNT = 300
MAX_LITERAL = 2000  # characters of a random value's repr: the fixture stays small
# an object's address changes from run to run: recorded, and compared, as "0x?"
ADDRESS = re.compile(r" at 0x[0-9a-f]+")

CASES: list[tuple[str, str]] = [
    # scalars
    ("int", "42"), ("big_int", "10 ** 30"), ("float", "3.14"), ("neg_zero", "-0.0"),
    ("str", "'hello'"), ("str_quotes", "\"it's\""), ("long_str", "'x' * 200"),
    ("bool", "True"), ("complex", "1 + 2j"), ("bytes", "b'bytes'"), ("range", "range(5)"),
    ("ellipsis", "..."),
    # lists
    ("short_list", "[1, 2, 3]"), ("empty_list", "[]"), ("list_40", "list(range(40))"),
    ("list_1000", "list(range(1000))"), ("list_1001", "list(range(1001))"),
    ("list_1500", "list(range(1500))"), ("repeat_1200", "[1, 2, 3] * 400"),
    ("floats", "[i / 7 for i in range(30)]"), ("small_floats", "[1e-10 * i for i in range(20)]"),
    ("special_floats", "[float('inf'), float('-inf'), float('nan'), -0.0] * 6"),
    ("words", "['word%d' % i for i in range(25)]"), ("long_words", "['a' * 100, 'b', 'c' * 78]"),
    ("odd_strings", "['it\\'s', 'say \"hi\"', 'tab\\t', 'new\\nline', 'uni é ✓'] * 4"),
    ("nested_rows", "[list(range(10)) for _ in range(8)]"),
    ("nested_3", "[[list(range(12))] * 3] * 3"),
    ("nested_pairs", "[[[1, 2], [3, 4]], [[5, 6], [7, 8]]] * 6"),
    ("ragged", "[list(range(i)) for i in range(15)]"),
    ("deep_50", "x = []\nfor _ in range(50):\n    x = [x]\nx"),
    ("mixed", "[1, 'two', 3.0, None, True, (4, 5), {'six': 6}, {7}] * 5"),
    ("self_list", "a = [1, 2]\na.append(a)\na"),
    ("list_of_dicts", "[{'id': i, 'name': 'item%d' % i} for i in range(8)]"),
    # dicts
    ("short_dict", "{'a': 1, 'b': 2}"), ("empty_dict", "{}"),
    ("insertion_order", "{'z': 1, 'a': 2, 'm': 3}"),
    ("dict_20", "{i: 'v' * i for i in range(20)}"),
    ("dict_of_lists", "{'key%d' % i: list(range(i)) for i in range(12)}"),
    ("dict_long_value", "{'long': 'x' * 100, 'short': 1}"),
    ("dict_tuple_key", "{(1, 2): 'x' * 70, (3, 4): 'y'}"),
    ("history", "{'train': [0.1 * i for i in range(20)], 'val': [0.2 * i for i in range(20)]}"),
    ("self_dict", "d = {'k': 1}\nd['me'] = d\nd"),
    ("dict_1200", "{i: i for i in range(1200)}"),
    # sets
    ("set_50", "set(range(50))"), ("set_words", "{'pear', 'apple', 'fig', 'kiwi'}"),
    ("set_3000", "set(range(0, 3000, 3))"), ("set_unsortable", "{3, 'a', 'b', 1}"),
    ("set_mixed_numbers", "{1.5, 2, -3, 0.25}"), ("set_of_tuples", "{(i, -i) for i in range(30)}"),
    ("frozenset_3", "frozenset({3, 1, 2})"), ("frozenset_40", "frozenset(range(40))"),
    ("empty_set", "set()"), ("empty_frozenset", "frozenset()"),
    ("list_of_sets", "[{i, i + 1, i + 2} for i in range(12)]"),
    # tuples
    ("one_tuple", "(1,)"), ("one_tuple_long", "(list(range(30)),)"),
    ("tuple_40", "tuple(range(40))"), ("empty_tuple", "()"), ("nested_one_tuple", "((1,),)"),
    ("tuple_of_lists", "(list(range(20)), list(range(20, 40)))"),
    # collections
    ("counter", "Counter('abracadabra')"),
    ("counter_30", "Counter({'w%d' % i: i for i in range(30)})"),
    ("counter_empty", "Counter()"), ("deque_40", "deque(range(40))"),
    ("deque_maxlen", "deque(range(5), maxlen=3)"),
    ("defaultdict_int", "defaultdict(int, {'a': 1})"),
    ("defaultdict_list", "defaultdict(list)"),
    ("defaultdict_long", "dd = defaultdict(list)\nfor i in range(20):\n"
                         "    dd[i % 4].append(i * 1000)\ndd"),
    ("ordereddict_25", "OrderedDict((str(i), i) for i in range(25))"),
    ("ordereddict_empty", "OrderedDict()"),
    ("namedtuples", "P = namedtuple('P', 'x y')\n[P(i, i * i) for i in range(10)]"),
    ("namedtuple_one", "P = namedtuple('P', 'x y')\nP(1, 2)"),
    # classes, functions, exceptions
    ("types", "[int, str, float, list, dict]"), ("type_int", "int"),
    ("script_class", "class A:\n    pass\nA"),
    ("instance", "class A:\n    pass\nA()"),
    ("instances", "class A:\n    pass\n[A(), A()]"),
    ("custom_repr", "class V:\n    def __init__(self, i):\n        self.i = i\n"
                    "    def __repr__(self):\n        return f'V({self.i})'\n"
                    "[V(i) for i in range(30)]"),
    ("multiline_repr", "class M:\n    def __repr__(self):\n"
                       "        return 'line1\\nline2'\n[M(), M()]"),
    ("function", "def f(x, y=2, *args, z, **kw):\n    return x\nf"),
    ("function_posonly", "def g(a, b=3, /, c=4, *, d):\n    return a\ng"),
    ("lambda", "lambda a, b=3: a"),
    ("functions", "def f(x):\n    return x\n[f, f]"),
    ("exception", "ValueError('bad value')"),
    ("exceptions", "[KeyError('k'), TypeError('t', 2), ValueError()]"),
    ("script_exception", "class MyError(Exception):\n    pass\nMyError('boom')"),
    ("dataclass", "from dataclasses import dataclass\n@dataclass\nclass Pt:\n    x: int\n"
                  "    y: int\n[Pt(i, i) for i in range(10)]"),
    # tensors and arrays
    ("tensor_2d", "torch.arange(12.).reshape(3, 4)"),
    ("tensors_1d", "[torch.ones(2), torch.zeros(3)]"),
    ("tensors_2d", "[torch.arange(6.).reshape(2, 3), torch.ones(2, 2)]"),
    ("tensor_split", "torch.arange(12.).reshape(3, 4).split(2, dim=1)"),
    ("tensor_dict", "{'w': torch.ones(2, 2), 'b': torch.zeros(2)}"),
    ("scalar_tensors", "[torch.tensor(1.5), torch.tensor(2.5)]"),
    ("many_scalar_tensors", "[torch.tensor(float(i)) for i in range(12)]"),
    ("grad_tensors", "x = torch.ones(2, requires_grad=True)\n[x * 2, (x * 3).sum()]"),
    ("sizes", "[torch.ones(3).shape, torch.float32, torch.ones(2, 3).shape]"),
    ("size", "torch.ones(2, 3).shape"),
    ("tensor_and_list", "(torch.arange(12.), list(range(30)))"),
    ("tensor_rows", "list(torch.arange(6.).reshape(3, 2))"),
    ("grads_history", "w = torch.tensor([1., 2.], requires_grad=True)\n"
                      "[(i, w * i) for i in range(4)]"),
    ("arrays", "[np.ones(3), np.zeros(2)]"), ("array_2d", "np.arange(12).reshape(3, 4)"),
    ("arrays_2d", "[np.arange(6).reshape(2, 3), np.arange(4.).reshape(2, 2)]"),
    ("np_float", "np.float64(1.5)"),
]


def display_text(code: str) -> str:
    """Run ``code`` as a notebook cell; what Jupyter shows for its last value."""
    from IPython.core.formatters import PlainTextFormatter

    namespace: dict = {"__name__": "__main__"}
    exec(PRELUDE, namespace)  # noqa: S102 -- the generator's own cases
    tree = ast.parse(code)
    last = tree.body.pop()
    assert isinstance(last, ast.Expr), code
    exec(compile(tree, "<case>", "exec"), namespace)  # noqa: S102
    value = eval(compile(ast.Expression(last.value), "<case>", "eval"), namespace)  # noqa: S307
    return ADDRESS.sub(" at 0x?", PlainTextFormatter()(value))


def random_value(rng: random.Random, depth: int = 0):
    if depth >= 4 or rng.random() < 0.35:
        return random_atom(rng)
    kind = rng.choice(["list", "list", "tuple", "dict", "set"])
    n = rng.choice([0, 1, 2, 3, 4, 6, 10, 15, 25][:9 - 2 * depth])
    if kind == "set":
        items = {random_hashable(rng) for _ in range(n)}
        # unsortable items sort by str: two with the same str would keep the set's own
        # (hash-dependent) order
        return items if len({str(x) for x in items}) == len(items) else set()
    items = [random_value(rng, depth + 1) for _ in range(n)]
    if kind == "list":
        return items
    if kind == "tuple":
        return tuple(items)
    return {random_hashable(rng): v for v in items}


def random_atom(rng: random.Random):
    r = rng.random()
    if r < 0.3:
        return rng.randint(-10 ** rng.randint(0, 15), 10 ** rng.randint(0, 15))
    if r < 0.55:
        return rng.uniform(-1, 1) * 10 ** rng.randint(-8, 8)
    if r < 0.85:
        letters = "abcxyz _'\"\\é✓0123"
        return "".join(rng.choice(letters) for _ in range(rng.choice([0, 1, 3, 8, 20, 60, 90])))
    return rng.choice([None, True, False])


def random_hashable(rng: random.Random):
    """A set item or dict key; never None, whose hash (3.11) changes from run to run."""
    def atom():
        value = random_atom(rng)
        return value if value is not None else rng.randint(-99, 99)

    value = atom()
    if rng.random() < 0.1:
        return (value, atom())
    return value


def build() -> dict[str, str]:
    cases = [{"name": name, "code": code, "expected": display_text(code)} for name, code in CASES]
    rng = random.Random(SEED)
    randoms = []
    while len(randoms) < RANDOM_COUNT:
        value = random_value(rng)
        literal = repr(value)
        if len(literal) > MAX_LITERAL or value is None:
            continue
        assert ast.literal_eval(literal) == value
        randoms.append({"literal": literal, "expected": display_text(literal)})
    return {
        "pretty_cases.json": json.dumps(cases, indent=1, ensure_ascii=False) + "\n",
        "pretty_random.json": json.dumps({"seed": SEED, "cases": randoms}, indent=1,
                                         ensure_ascii=False) + "\n",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 on a change")
    args = parser.parse_args(argv)
    if os.environ.get("PYTHONHASHSEED") != "0":  # a set's repr (the literal) is hash-ordered
        env = dict(os.environ, PYTHONHASHSEED="0")
        os.execve(sys.executable, [sys.executable, os.path.abspath(__file__), *sys.argv[1:]], env)
    try:
        import IPython  # noqa: F401
        import torch  # noqa: F401
    except ImportError as exc:
        print(f"gen_pretty_fixtures: needs torch and IPython ({exc})", file=sys.stderr)
        return 2
    changed = 0
    for name, text in build().items():
        path = os.path.join(FIXTURES, name)
        try:
            with open(path, encoding="utf-8") as fh:
                same = fh.read() == text
        except FileNotFoundError:
            same = False
        if same:
            continue
        changed += 1
        if args.check:
            print(f"differs: {os.path.relpath(path, ROOT)}")
        else:
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text)
            print(f"wrote {os.path.relpath(path, ROOT)}")
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    sys.exit(main())
