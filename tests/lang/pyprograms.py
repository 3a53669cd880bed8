"""Hypothesis strategies for small, always-terminating Python programs, and two runners.

The programs stay inside the Python subset that adcli's ``.py`` dialect runs (no
``class``, no ``yield``/generators). Every program terminates: loops run over finite
sequences or count up to a small bound, recursion has a small literal bound, and shifts,
powers and repetitions take small literal right-hand sides so no value grows large.
Programs are deterministic: no ``id()``, no ``hash()``, and sets only ever hold ints.

``run_cpython`` and ``run_adcli`` run one program in-process and return what it printed
and, when it raised, ``(exception type name, message)``.

The generator is typed: ``Gen.expr(typ)`` builds an expression of one of the types below
from the names in scope, so most programs run long enough to print a lot; a few
operations fail on purpose (division by zero, a missing key, a bad index, ``int('x')``,
mixed-type operators), and top-level statements are often wrapped in
``try``/``except Exception as e: print(type(e).__name__, e)`` so that the error message is
compared too and the program goes on.
"""

from __future__ import annotations

# The option tables below read best one per line, however long.
# ruff: noqa: E501
import contextlib
import io
import traceback

from hypothesis import strategies as st

TYPES = ("int", "float", "str", "bool", "list", "dict", "set", "tuple")

# Values that print the same everywhere; floats include ones whose repr and rounding are
# subtle (2.675, 0.1, 1e16, 5e-324), negative zero, and large/small magnitudes.
INT_LITERALS = st.one_of(st.integers(-30, 30), st.sampled_from([0, 1, -1, 255, 1000, 10**6,
                                                               2**31, -(2**40), 12345678]))
FLOAT_LITERALS = st.sampled_from([
    "0.0", "-0.0", "0.5", "1.5", "2.5", "-2.5", "3.0", "0.1", "0.2", "2.675", "1e16",
    "1.25e-05", "123.456", "-7.75", "1e300", "5e-324", "3.14159", "100.0", "-0.001",
    "float('inf')", "float('-inf')",
])
STR_ALPHABET = "abcXYZ 019-_,.'\"é\t"
STR_LITERALS = st.one_of(
    st.text(alphabet=STR_ALPHABET, max_size=8),
    st.sampled_from(["hello world", "a,b,,c", "  padded  ", "Mixed Case", "123", "3.5",
                     "x", "", "abc", "tab\there", "UPPER", "a-b_c", "42abc"]),
)
KEYS = ("k0", "k1", "k2", "k3", "k4")

FLOAT_SPECS = ["", ">8.3f", ".2f", ".0f", "+.1f", ".2e", "g", "10.4g", ".0%", ",.2f", "^12",
               "08.2f", "<9.1f", "*>10.2f", ".3", "e", "-^11.1f", " .2f", "f", ".1%", "_.3f"]
INT_SPECS = ["", ",", "_", "05d", "x", "#b", "o", "+d", "<6", "*^9", ">4", "#X", ".2f", "e",
             "08,", "=+7", "c", "b", " d", "n", "%"]
STR_SPECS = ["", ">10", "<6", "^7", ".3", "*<7", "-^9.2", ">3", "s"]
CONVERSIONS = ["!r", "!s", "!a"]


def indent(lines: list[str], n: int = 1) -> list[str]:
    return ["    " * n + line for line in lines]


def pyrepr(s: str) -> str:
    return repr(s)


class Gen:
    """A typed program generator over one hypothesis ``draw``.

    ``scope`` maps each type to the names of that type that are defined where the next
    statement goes; ``funcs`` maps a function name to (params, return type) for calls.
    """

    def __init__(self, draw, max_depth: int = 3) -> None:
        self.draw = draw
        self.max_depth = max_depth
        self.scope: dict[str, list[str]] = {t: [] for t in TYPES}
        self.funcs: dict[str, tuple] = {}
        self.counter = 0
        self.in_function = False

    # ---------------------------------------------------------------- helpers
    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def choice(self, options):
        return self.draw(st.sampled_from(list(options)))

    def lit_int(self, lo: int, hi: int) -> int:
        return self.draw(st.integers(lo, hi))

    def coin(self, p: float = 0.5) -> bool:
        return self.draw(st.integers(0, 999)) < int(p * 1000)

    @contextlib.contextmanager
    def literals_only(self):
        """Expressions built inside use no names and no calls: a value stored in a name
        (or added to a container) is then bounded, however often a loop stores it."""
        saved, funcs = self.scope, self.funcs
        self.scope, self.funcs = {t: [] for t in TYPES}, {}
        try:
            yield
        finally:
            self.scope, self.funcs = saved, funcs

    def name_of(self, typ: str) -> str | None:
        names = self.scope[typ]
        return self.choice(names) if names else None

    # ---------------------------------------------------------------- literals
    def literal(self, typ: str) -> str:
        d = self.draw
        if typ == "int":
            return repr(d(INT_LITERALS))
        if typ == "float":
            return d(FLOAT_LITERALS)
        if typ == "str":
            return pyrepr(d(STR_LITERALS))
        if typ == "bool":
            return self.choice(["True", "False"])
        if typ == "list":
            return repr(d(st.lists(st.integers(-9, 12), max_size=6)))
        if typ == "set":
            # CPython compiles a display of three or more constants to a frozenset
            # constant and builds the set from that: its order can differ from adding
            # the items one by one (an optimisation, not the language), so literal sets
            # hold 0..7 only, where every order prints the same.
            items = d(st.lists(st.integers(0, 7), min_size=1, max_size=6))
            return "{" + ", ".join(map(str, items)) + "}"
        if typ == "tuple":
            return repr(tuple(d(st.lists(st.integers(-9, 9), max_size=5))))
        if typ == "dict":
            keys = d(st.lists(st.sampled_from(KEYS), max_size=4, unique=True))
            return "{" + ", ".join(f"{k!r}: {d(st.integers(-9, 9))}" for k in keys) + "}"
        raise AssertionError(typ)

    # ---------------------------------------------------------------- expressions
    def expr(self, typ: str, depth: int | None = None) -> str:
        depth = self.max_depth if depth is None else depth
        if depth <= 0 or self.coin(0.25):
            return self.leaf(typ)
        makers = getattr(self, "expr_" + typ)(depth - 1)
        return self.choice(makers)()

    def leaf(self, typ: str) -> str:
        name = self.name_of(typ)
        if name is not None and self.coin(0.7):
            return name
        return self.literal(typ)

    def call_of(self, typ: str, depth: int) -> str:
        funcs = [f for f, (_, ret) in self.funcs.items() if ret == typ]
        if not funcs:
            return self.leaf(typ)
        f = self.choice(funcs)
        return self.call(f, depth)

    def call(self, f: str, depth: int, wrong: bool = False) -> str:
        sig, _ = self.funcs[f]
        args = []
        for p in sig["pos"]:
            name, typ, default = p
            if default is not None and self.coin(0.4):
                break
            args.append(self.expr(typ, min(depth, 1)))
        else:
            if sig["star"]:
                args += [self.expr("int", 0) for _ in range(self.lit_int(0, 3))]
        kw = []
        for name, typ, default in sig["kwonly"]:
            if default is None or self.coin(0.5):
                kw.append(f"{name}={self.expr(typ, min(depth, 1))}")
        if sig["starstar"]:
            for k in self.draw(st.lists(st.sampled_from(KEYS), max_size=2, unique=True)):
                kw.append(f"{k}={self.expr('int', 0)}")
        if wrong:
            kind = self.lit_int(0, 3)
            if kind == 0:
                args.append(self.expr("int", 0))
            elif kind == 1 and args:
                args.pop()
            elif kind == 2:
                kw.append(f"zz={self.expr('int', 0)}")
            elif kind == 3 and sig["pos"]:
                kw.append(f"{sig['pos'][0][0]}=1")
        if self.coin(0.15) and args:
            # star-unpacking into a call
            return f"{f}(*[{', '.join(args)}]{''.join(', ' + k for k in kw)})"
        return f"{f}({', '.join(args + kw)})"

    def expr_int(self, d: int):
        e = lambda t="int": self.expr(t, d)  # noqa: E731
        return [
            lambda: f"({e()} {self.choice(['+', '-', '*', '//', '%'])} {e()})",
            lambda: f"({e()} {self.choice(['^', '|', '&'])} {e()})",
            lambda: f"({e()} << {self.lit_int(0, 12)})",
            lambda: f"({e()} >> {self.lit_int(0, 6)})",
            lambda: f"({e()} ** {self.lit_int(0, 3)})",
            lambda: f"{self.choice(['-', '~', '+', 'not '])}{e()}" if self.coin(0.1)
            else f"{self.choice(['-', '~', '+'])}{e()}",
            lambda: f"abs({e()})",
            lambda: f"len({e(self.choice(['str', 'list', 'dict', 'set', 'tuple']))})",
            lambda: f"sum({e('list')})",
            lambda: f"{self.choice(['min', 'max'])}({e()}, {e()})",
            lambda: f"{self.choice(['min', 'max'])}({e('list')}, key={self.int_lambda(d)}"
                    f"{', default=' + e() if self.coin(0.5) else ''})",
            lambda: f"{self.choice(['int', 'round', 'math.floor', 'math.ceil'])}({e('float')})",
            lambda: f"int({self.choice(['s', 'str(' + e() + ')', repr('12'), repr(' -7 ')])})"
            if self.scope["str"] else f"int(str({e()}))",
            lambda: f"{e('str')}.{self.choice(['find', 'count', 'rfind', 'index'])}"
                    f"({self.choice(['a', 'b', ' ', '', 'ab', ','])!r})",
            lambda: f"({e()} if {e('bool')} else {e()})",
            lambda: f"{e('list')}[{e()}]",
            lambda: f"{e('tuple')}[{self.lit_int(-3, 3)}]",
            lambda: f"{e('dict')}[{self.choice(KEYS)!r}]",
            lambda: f"{e('dict')}.get({self.choice(KEYS)!r}, {e()})",
            lambda: f"divmod({e()}, {e()})[{self.lit_int(0, 1)}]",
            lambda: f"pow({e()}, {self.lit_int(0, 5)}, {e()})",
            lambda: f"{e('list')}.count({e()})",
            lambda: f"sum({self.list_comp(d)})",
            lambda: f"ord({e('str')}[0])" if self.coin(0.7) else f"ord({e('str')})",
            lambda: f"({e('bool')} + {e()})",
            lambda: f"int({e('bool')})",
            lambda: f"len({self.list_comp(d)})",
            lambda: f"{self.choice(['min', 'max'])}({e('set')})",
            lambda: f"sorted({e('list')}, reverse={e('bool')})[0]",
            lambda: self.call_of("int", d),
            lambda: f"(lambda p, q=3: p * q - 1)({e()})",
        ]

    def expr_float(self, d: int):
        e = lambda t="float": self.expr(t, d)  # noqa: E731
        return [
            lambda: f"({e()} {self.choice(['+', '-', '*', '/'])} {e()})",
            lambda: f"({e()} {self.choice(['//', '%'])} {e()})",
            lambda: f"({e('int')} / {e('int')})",
            lambda: f"({e()} ** {self.lit_int(0, 3)})",
            lambda: f"(abs({e()}) ** 0.5)",
            lambda: f"math.sqrt(abs({e()}))",
            lambda: f"float({e('int')})",
            lambda: f"float({self.choice(['3.5', '-1e3', 'nan', 'inf', '1_000.5', 'x', ' 2 '])!r})",
            lambda: f"round({e()}, {self.lit_int(0, 3)})",
            lambda: f"-{e()}",
            lambda: f"abs({e()})",
            lambda: f"{self.choice(['min', 'max'])}({e()}, {e()}, {e('int')})",
            lambda: f"({e()} if {e('bool')} else {e()})",
            lambda: f"sum([{e()}, {e()}, {e('int')}])",
            lambda: f"({e('int')} * {e()})",
            lambda: "math.pi",
            lambda: f"math.fsum([{e()}, {e()}])",
            lambda: f"divmod({e()}, {e()})[{self.lit_int(0, 1)}]",
            lambda: self.call_of("float", d),
        ]

    def expr_str(self, d: int):
        e = lambda t="str": self.expr(t, d)  # noqa: E731
        return [
            lambda: f"({e()} + {e()})",
            lambda: f"({e()} * {self.lit_int(-1, 3)})",
            lambda: f"{e()}[{self.slice()}]",
            lambda: f"{e()}[{self.lit_int(-4, 4)}]",
            lambda: f"{e()}.{self.choice(['upper', 'lower', 'strip', 'lstrip', 'rstrip', 'title', 'capitalize', 'swapcase', 'casefold'])}()",
            lambda: f"{e()}.{self.choice(['strip', 'lstrip', 'rstrip'])}({self.choice(['a', ' -', 'xyz', '0'])!r})",
            lambda: f"{e()}.replace({self.choice(['a', ' ', 'b', '', 'ab'])!r}, {self.choice(['', '-', 'ZZ'])!r})",
            lambda: f"{e()}.{self.choice(['center', 'ljust', 'rjust'])}({self.lit_int(0, 12)}"
                    f"{', ' + repr(self.choice(['*', '-', '.'])) if self.coin(0.5) else ''})",
            lambda: f"{e()}.zfill({self.lit_int(0, 8)})",
            lambda: f"{self.choice([', ', '', '-', '|'])!r}.join({self.str_list(d)})",
            lambda: f"str({e(self.choice(TYPES))})",
            lambda: f"repr({e(self.choice(TYPES))})",
            lambda: self.fstring(d),
            lambda: self.percent_format(d),
            lambda: self.str_format(d),
            lambda: f"{e()}.{self.choice(['removeprefix', 'removesuffix'])}({self.choice(['a', 'ab', ' ', 'x'])!r})",
            lambda: f"{e()}.{self.choice(['partition', 'rpartition'])}({self.choice(['a', ',', ' '])!r})[{self.lit_int(0, 2)}]",
            lambda: f"''.join(sorted({e()}))",
            lambda: f"''.join(reversed({e()}))",
            lambda: f"{e()}.split({self.choice(['', repr(','), repr(' '), 'None'])})[{self.lit_int(-2, 2)}]",
            lambda: f"chr(65 + abs({e('int')}) % 26)",
            lambda: f"({e()} if {e('bool')} else {e()})",
            lambda: f"{self.choice(['hex', 'bin', 'oct', 'ascii'])}({e('int')})",
            lambda: f"format({e('float')}, {self.choice(FLOAT_SPECS)!r})",
            lambda: f"format({e('int')}, {self.choice(INT_SPECS)!r})",
            lambda: f"str({e('bool')}).upper()",
            lambda: f"{e()}.expandtabs({self.lit_int(0, 8)})",
            lambda: self.call_of("str", d),
        ]

    def expr_bool(self, d: int):
        e = lambda t="bool": self.expr(t, d)  # noqa: E731

        def compare():
            t = self.choice(["int", "float", "str", "int", "list", "tuple"])
            ops = ["<", "<=", ">", ">=", "==", "!="]
            if t in ("list", "tuple") and self.coin(0.5):
                ops = ["==", "!="]
            parts = [self.expr(t, d)]
            for _ in range(self.lit_int(1, 2)):
                parts += [self.choice(ops), self.expr(t, d)]
            return "(" + " ".join(parts) + ")"

        return [
            compare,
            compare,
            lambda: f"({e()} {self.choice(['and', 'or'])} {e()})",
            lambda: f"(not {e()})",
            lambda: f"({self.expr('int', d)} {self.choice(['in', 'not in'])} {self.expr(self.choice(['list', 'set', 'tuple']), d)})",
            lambda: f"({e('str')} in {e('str')})",
            lambda: f"({self.choice(KEYS)!r} in {e('dict')})",
            lambda: f"isinstance({self.expr(self.choice(TYPES), d)}, {self.choice(['int', 'float', 'str', 'bool', '(int, float)', 'list', 'tuple', 'dict', 'set'])})",
            lambda: f"{e('str')}.{self.choice(['isdigit', 'isalpha', 'isalnum', 'isspace', 'isupper', 'islower', 'istitle', 'isidentifier', 'isdecimal'])}()",
            lambda: f"{e('str')}.{self.choice(['startswith', 'endswith'])}({self.choice(['a', '', 'ab', ' ', ('a', 'X')])!r})",
            lambda: f"{self.choice(['any', 'all'])}({self.bool_comp(d)})",
            lambda: f"bool({self.expr(self.choice(TYPES), d)})",
            lambda: f"({self.expr('list', d)} == sorted({self.expr('list', d)}))",
            lambda: f"({self.expr('set', d)} {self.choice(['<=', '<', '>=', '==', '!='])} {self.expr('set', d)})",
            lambda: f"{self.expr('set', d)}.{self.choice(['issubset', 'issuperset', 'isdisjoint'])}({self.expr('list', d)})",
            lambda: f"math.isclose({self.expr('float', d)}, {self.expr('float', d)})",
            lambda: f"({self.expr('float', d)} != {self.expr('float', d)})",
            lambda: self.call_of("bool", d),
        ]

    def expr_list(self, d: int):
        e = lambda t="list": self.expr(t, d)  # noqa: E731
        return [
            lambda: "[" + ", ".join(self.expr("int", d) for _ in range(self.lit_int(0, 3))) + "]",
            lambda: f"[{self.expr('int', d)}, *{e()}, *{self.expr('tuple', d)}]",
            lambda: self.list_comp(d),
            lambda: self.list_comp(d, nested=True),
            lambda: f"sorted({e()}, key={self.int_lambda(d)}, reverse={self.expr('bool', 0)})",
            lambda: f"sorted({e(self.choice(['list', 'set', 'tuple']))})",
            lambda: f"list(map({self.int_lambda(d)}, {e()}))",
            lambda: f"list(map(lambda v, w: v - w, {e()}, {e()}))",
            lambda: f"list(filter(lambda v: {self.cond('v', d)}, {e()}))",
            lambda: f"({e()} + {e()})",
            lambda: f"({e()} * {self.lit_int(0, 3)})",
            lambda: f"{e()}[{self.slice()}]",
            lambda: f"list(range({self.lit_int(-3, 5)}, {self.lit_int(-3, 9)}, {self.choice([1, 2, -1, 3, -2])}))",
            lambda: f"list(range({self.lit_int(0, 6)}))",
            lambda: f"list(reversed({e()}))",
            lambda: f"[i * v for i, v in enumerate({e()}{', ' + str(self.lit_int(-2, 3)) if self.coin(0.3) else ''})]",
            lambda: f"[p + q for p, q in zip({e()}, {e(self.choice(['list', 'tuple']))})]",
            lambda: f"[len(w) for w in {self.expr('str', d)}.split({self.choice(['', repr(',')])})]",
            lambda: f"list({self.expr('dict', d)}.values())",
            lambda: f"list({self.expr('tuple', d)})",
            lambda: f"[ord(ch) % 7 for ch in {self.expr('str', d)}]",
            lambda: f"[*{e()}, *range({self.lit_int(0, 3)})]",
            lambda: f"list(divmod({self.expr('int', d)}, {self.expr('int', d)}))",
            lambda: f"[v for v in {e()} if v {self.choice(['>', '<', '!=', '%2 =='])} {self.lit_int(-2, 3)}]",
            lambda: self.call_of("list", d),
        ]

    def expr_dict(self, d: int):
        e = lambda t="dict": self.expr(t, d)  # noqa: E731
        return [
            lambda: "{" + ", ".join(f"{k!r}: {self.expr('int', d)}" for k in self.draw(
                st.lists(st.sampled_from(KEYS), max_size=3))) + "}",
            lambda: f"{{**{e()}, {self.choice(KEYS)!r}: {self.expr('int', d)}}}",
            lambda: f"{{**{e()}, **{e()}}}",
            lambda: f"{{'k' + str(v % 5): v for v in {self.expr('list', d)}}}",
            lambda: f"{{k: v * 2 for k, v in {e()}.items() if v {self.choice(['>', '<', '!='])} {self.lit_int(-3, 3)}}}",
            lambda: f"dict(zip({list(KEYS)!r}, {self.expr('list', d)}))",
            lambda: f"dict({e()}, {self.choice(KEYS)}={self.expr('int', d)})",
            lambda: f"dict.fromkeys({self.choice(['k3', 'k1'])!r}.join({self.choice(['ab', 'xy'])!r}), {self.expr('int', d)})",
            lambda: f"dict(sorted({e()}.items(), key=lambda kv: kv[1]))",
            lambda: f"({e()} | {e()})",
            lambda: self.call_of("dict", d),
        ]

    def expr_set(self, d: int):
        e = lambda t="set": self.expr(t, d)  # noqa: E731
        return [
            lambda: "{" + ", ".join(self.expr("int", d) for _ in range(self.lit_int(1, 2))) + "}",
            lambda: self.literal("set"),
            lambda: f"set({self.expr(self.choice(['list', 'tuple']), d)})",
            lambda: f"{{v % {self.lit_int(1, 6)} for v in {self.expr('list', d)}}}",
            lambda: f"({e()} {self.choice(['|', '&', '-', '^'])} {e()})",
            lambda: f"{e()}.{self.choice(['union', 'intersection', 'difference', 'symmetric_difference'])}({self.expr('list', d)})",
            lambda: f"{{*{e()}, {self.expr('int', d)}}}",
            lambda: f"set(range({self.lit_int(0, 6)}))",
            lambda: f"set({self.expr('dict', d)}.values())",
            lambda: self.call_of("set", d),
        ]

    def expr_tuple(self, d: int):
        e = lambda t="tuple": self.expr(t, d)  # noqa: E731
        return [
            lambda: "(" + "".join(self.expr("int", d) + ", " for _ in range(self.lit_int(0, 3))) + ")",
            lambda: f"tuple({self.expr('list', d)})",
            lambda: f"divmod({self.expr('int', d)}, {self.expr('int', d)})",
            lambda: f"({e()} + {e()})",
            lambda: f"{e()}[{self.slice()}]",
            lambda: f"tuple(sorted({e()}, reverse=True))",
            lambda: f"(*{e()}, *{self.expr('list', d)})",
            lambda: f"({e()} * {self.lit_int(0, 2)})",
            lambda: f"tuple(len(w) for w in {self.expr('str', d)}.split())",
            lambda: f"tuple(i for i, _ in enumerate({self.expr('str', d)}))",
            lambda: f"(min({e()}), max({e()}))",
            lambda: self.call_of("tuple", d),
        ]

    def mixed(self, d: int = 1) -> str:
        """An operation on values of any two types: often a TypeError, whose message is
        then compared too (and sometimes fine: ``3 * 'ab'``, ``True + 1.5``, ``[1] * 2``)."""
        t1, t2 = self.choice(TYPES), self.choice(TYPES)
        lhs, rhs = self.expr(t1, d), self.expr(t2, d)
        kind = self.lit_int(0, 5)
        if kind == 0:
            op = self.choice(["+", "-", "*", "/", "//", "%", "**", "<", ">=", "&", "|", "^",
                              "<<", "@", "==", "in"])
            if op in ("*", "**", "<<"):
                rhs = self.choice(["2", "True", "0", "-1", "'ab'", "[1]", "2.0", "None"])
            return f"({lhs} {op} {rhs})"
        if kind == 1:
            return f"{self.choice(['-', '~', 'abs', 'len', 'int', 'float', 'sorted', 'sum', 'max', 'reversed', 'bool'])}({lhs})"
        if kind == 2:
            return f"{lhs}[{self.choice(['0', '-1', '1:2', repr('k0'), '1.5', 'None', '::0'])}]"
        if kind == 3:
            return f"({lhs}).{self.choice(['append(1)', 'upper()', 'keys()', 'add(1)', 'nope', 'count(1)', 'index(99)'])}"
        if kind == 4:
            return f"{self.choice(['int', 'float', 'str', 'list', 'tuple', 'set', 'dict', 'bool'])}({lhs})"
        return f"{self.choice(['divmod', 'pow', 'round', 'min', 'max', 'zip', 'isinstance'])}({lhs}, {rhs})"

    # ---------------------------------------------------------------- pieces
    def slice(self) -> str:
        parts = []
        for _ in range(2):
            parts.append(str(self.lit_int(-5, 6)) if self.coin(0.6) else "")
        step = ""
        if self.coin(0.3):
            step = ":" + self.choice(["2", "-1", "3", "-2", "0"] if self.coin(0.1)
                                     else ["2", "-1", "3", "-2"])
        return ":".join(parts) + step

    def cond(self, var: str, d: int) -> str:
        return self.choice([f"{var} % 2", f"{var} > {self.lit_int(-3, 5)}", f"not {var} % 3",
                            f"{var} != {self.lit_int(-3, 5)}", f"{var} * {var} < {self.lit_int(0, 30)}",
                            f"{var} in {self.literal('set')}"])

    def int_lambda(self, d: int) -> str:
        body = self.choice(["-v", "abs(v)", "v % 3", "v * v", "(v % 4, -v)", "v ^ 5", "v // 2",
                            "str(v)", "-v if v % 2 else v"])
        return f"lambda v: {body}"

    def list_comp(self, d: int, nested: bool = False) -> str:
        src = self.expr(self.choice(["list", "list", "tuple", "set"]), d)
        v = self.choice(["v", "w", "i"])
        head = self.choice([f"{v}", f"{v} * 2", f"{v} ** 2", f"-{v}", f"{v} % 3", f"{v} << 1"])
        clause = f" if {self.cond(v, d)}" if self.coin(0.5) else ""
        if nested:
            src2 = self.expr("list", 0)
            u = "u" if v != "u" else "z"
            head = self.choice([f"{v} * {u}", f"{v} - {u}", f"{u}"])
            inner = f" for {u} in {src2}" + (f" if {u} != {v}" if self.coin(0.5) else "")
            return f"[{head} for {v} in {src}{clause}{inner}]"
        return f"[{head} for {v} in {src}{clause}]"

    def bool_comp(self, d: int) -> str:
        return f"{self.cond('v', d)} for v in {self.expr('list', d)}"

    def str_list(self, d: int) -> str:
        return self.choice([
            f"[str(v) for v in {self.expr('list', d)}]",
            f"{self.expr('str', d)}.split()",
            f"{self.expr('str', d)}.split({self.choice([',', ' ', 'a'])!r})",
            f"sorted({self.expr('dict', d)})",
            f"[{self.expr('str', d)}, {self.expr('str', d)}]",
            f"map(str, {self.expr('tuple', d)})",
            f"{self.expr('str', d)}",
        ])

    def fstring(self, d: int) -> str:
        fields = []
        for _ in range(self.lit_int(1, 3)):
            t = self.choice(["int", "float", "str", "int", "float", "bool", "list"])
            inner = self.expr(t, min(d, 1))
            if '"' in inner or "\\" in inner or "'" in inner:
                name = self.name_of(t)
                inner = name if name else ("7" if t == "int" else "2.5" if t == "float" else "0")
                t = t if name else ("float" if inner == "2.5" else "int")
            specs = {"int": INT_SPECS, "float": FLOAT_SPECS, "str": STR_SPECS}.get(t, ["", ">12"])
            conv = self.choice(CONVERSIONS) if self.coin(0.2) else ""
            if conv:
                specs = STR_SPECS
            spec = self.choice(specs)
            if self.coin(0.05):
                spec = self.choice(INT_SPECS + FLOAT_SPECS)  # maybe a wrong one: ValueError
            if inner.startswith("{"):
                inner = f"({inner})"  # `{{` would be an escaped brace
            eq = "=" if self.coin(0.08) and inner.isidentifier() else ""
            fields.append(f"{{{inner}{eq}{conv}{':' + spec if spec else ''}}}")
        seps = [self.choice(["", " ", "|", "{{", "}}", "x="]) for _ in fields]
        body = "".join(s + f for s, f in zip(seps, fields))
        return f"f'{body}'" if "'" not in body else f'f"{body}"'

    def percent_format(self, d: int) -> str:
        codes = []
        args = []
        for _ in range(self.lit_int(1, 3)):
            t = self.choice(["int", "float", "str"])
            code = self.choice({"int": ["%d", "%5d", "%-4d", "%x", "%o", "%+d", "%05d", "%i", "%s",
                                        "%r", "%c"],
                                "float": ["%f", "%.2f", "%8.3f", "%e", "%g", "%.1e", "%s", "%d",
                                          "%-9.1f", "%%"],
                                "str": ["%s", "%r", "%10s", "%-5s", "%.2s", "%a"]}[t])
            codes.append(code)
            if code != "%%":
                args.append(self.expr(t, min(d, 1)))
        fmt = repr(" ".join(codes))
        if len(args) == 1 and self.coin(0.5):
            return f"({fmt} % {args[0]})"
        return f"({fmt} % ({''.join(a + ', ' for a in args)}))"

    def str_format(self, d: int) -> str:
        n = self.lit_int(1, 3)
        ts = [self.choice(["int", "float", "str"]) for _ in range(n)]
        args = [self.expr(t, min(d, 1)) for t in ts]
        style = self.lit_int(0, 2)
        fields = []
        for i, t in enumerate(ts):
            spec = self.choice({"int": INT_SPECS, "float": FLOAT_SPECS, "str": STR_SPECS}[t])
            spec = ":" + spec if spec else ""
            fields.append("{" + (str(i) if style == 1 else "") + spec + "}")
        if style == 2:  # keyword fields
            fields = ["{a" + str(i) + f[1:-1] + "}" for i, f in enumerate(fields)]
            call = ", ".join(f"a{i}={a}" for i, a in enumerate(args))
        else:
            if style == 1 and self.coin(0.3):
                fields.reverse()
            call = ", ".join(args)
        return f"{' '.join(fields)!r}.format({call})"

    # ---------------------------------------------------------------- statements
    def show(self, typ: str | None = None) -> list[str]:
        """A print of one or a few expressions."""
        typ = typ or self.choice(TYPES)
        kind = self.lit_int(0, 4)
        if kind == 0:
            return [f"print(repr({self.expr(typ)}))"]
        if kind == 1:
            extra = self.expr(self.choice(TYPES), 1)
            sep = self.choice(["", ", sep=' | '", ", end=';\\n'", ", sep=''"])
            return [f"print({self.expr(typ)}, {extra}{sep})"]
        return [f"print({self.expr(typ)})"]

    def assign(self) -> list[str]:
        t = self.choice([t for t in TYPES if self.scope[t]] or ["int"])
        name = self.name_of(t)
        kind = self.lit_int(0, 3)
        with self.literals_only():
            if name is None:
                name = self.fresh("n")
                line = f"{name} = {self.expr(t, 2)}"
            elif kind == 0 and t in ("int", "float", "str", "list", "tuple"):
                op = self.choice({"int": ["+=", "-=", "*=", "//=", "%=", "^=", "|=", "&=", ">>="],
                                  "float": ["+=", "-=", "*=", "/="], "str": ["+="],
                                  "list": ["+="], "tuple": ["+="]}[t])
                rhs = str(self.lit_int(-9, 9)) if t == "int" else self.expr(t, 1)
                line = f"{name} {op} {rhs}"
            elif kind == 1 and t == "list":
                line = f"{name}[{self.slice().replace(':0', ':1')}] = {self.expr('list', 1)}"
            else:
                line = f"{name} = {self.expr(t, 2)}"
        if name not in self.scope[t]:
            self.scope[t].append(name)
        return [line]

    def unpack(self) -> list[str]:
        a, b = self.scope["int"][:1] or ["a"], self.scope["list"][:1] or ["xs"]
        with self.literals_only():
            src = self.expr(self.choice(["list", "tuple"]), 1)
        form = self.lit_int(0, 3)
        if form == 0:
            return [f"{a[0]}, *{b[0]} = {src} or [0]", f"print({a[0]}, {b[0]})"]
        if form == 1:
            return [f"*{b[0]}, {a[0]} = {src} or [0]", f"print({a[0]}, {b[0]})"]
        if form == 2:
            return [f"{a[0]}, {a[0]} = {src}[:1] or [1], {self.lit_int(-5, 5)}",
                    f"print({a[0]})"]
        return [f"(p, *q), r = {src}[:1] or [7], {src}", "print(p, q, r)"]

    def mutate(self) -> list[str]:
        lists, dicts, sets = self.scope["list"], self.scope["dict"], self.scope["set"]
        with self.literals_only():
            return self._mutate(lists, dicts, sets)

    def _mutate(self, lists, dicts, sets) -> list[str]:
        choices = []
        for name in lists:
            choices += [
                f"{name}.append({self.expr('int', 1)})",
                f"{name}.extend({self.expr(self.choice(['list', 'tuple', 'set']), 1)})",
                f"{name}.insert({self.lit_int(-3, 4)}, {self.expr('int', 1)})",
                f"print({name}.pop({self.choice(['', '0', '-1', '2'])}))",
                f"{name}.remove({self.expr('int', 1)})",
                f"{name}.sort(key={self.int_lambda(1)}, reverse={self.expr('bool', 0)})",
                f"{name}.reverse()",
                f"print({name}.index({self.expr('int', 1)}))",
                f"del {name}[{self.lit_int(-2, 2)}]",
                f"del {name}[{self.slice()}]",
                f"{name}[{self.lit_int(-2, 2)}] = {self.expr('int', 1)}",
                f"{name}.clear()" if self.coin(0.2) else f"{name}.sort()",
            ]
        for name in dicts:
            k = self.choice(KEYS)
            choices += [
                f"{name}[{k!r}] = {self.expr('int', 1)}",
                f"{name}[{k!r}] += {self.expr('int', 1)}",
                f"print({name}.pop({k!r}{', ' + self.expr('int', 0) if self.coin(0.5) else ''}))",
                f"print({name}.setdefault({k!r}, {self.expr('int', 0)}))",
                f"{name}.update({self.expr('dict', 1)})",
                f"{name}.update({k}={self.expr('int', 0)})",
                f"del {name}[{k!r}]",
                f"print({name}.popitem())",
                f"print(list({name}.items()), list({name}.keys()))",
            ]
        for name in sets:
            choices += [
                f"{name}.add({self.expr('int', 1)})",
                f"{name}.discard({self.expr('int', 1)})",
                f"{name}.remove({self.expr('int', 1)})",
                f"print({name}.pop())",
                f"{name}.update({self.expr('list', 1)})",
                f"{name} {self.choice(['|=', '&=', '-=', '^='])} {self.expr('set', 1)}",
            ]
        if not choices:
            return ["pass"]
        return [self.choice(choices)]

    def if_stmt(self, depth: int) -> list[str]:
        lines = [f"if {self.expr('bool', 2)}:"] + indent(self.block(depth - 1))
        for _ in range(self.lit_int(0, 2)):
            lines += [f"elif {self.expr('bool', 2)}:"] + indent(self.block(depth - 1))
        if self.coin(0.5):
            lines += ["else:"] + indent(self.block(depth - 1))
        return lines

    def for_stmt(self, depth: int) -> list[str]:
        v = self.fresh("v")
        form = self.lit_int(0, 5)
        binds: list[tuple[str, str]] = []
        if form == 0:
            head = f"for {v} in {self.expr(self.choice(['list', 'tuple', 'set']), 2)}:"
            binds = [(v, "int")]
        elif form == 1:
            head = f"for {v} in range({self.lit_int(-2, 6)}):"
            binds = [(v, "int")]
        elif form == 2:
            i = self.fresh("i")
            head = f"for {i}, {v} in enumerate({self.expr('list', 2)}, {self.lit_int(0, 2)}):"
            binds = [(i, "int"), (v, "int")]
        elif form == 3:
            k = self.fresh("k")
            head = f"for {k}, {v} in {self.expr('dict', 2)}.items():"
            binds = [(k, "str"), (v, "int")]
        elif form == 4:
            head = f"for {v} in {self.expr('str', 2)}:"
            binds = [(v, "str")]
        else:
            w = self.fresh("w")
            head = f"for {v}, {w} in zip({self.expr('list', 2)}, {self.expr('str', 2)}):"
            binds = [(v, "int"), (w, "str")]
        for name, t in binds:
            self.scope[t].append(name)
        body = self.loop_body(depth)
        for name, t in binds:
            self.scope[t].remove(name)
        lines = [head] + indent(body)
        if self.coin(0.4):
            lines += ["else:"] + indent(self.block(depth - 1))
        return lines

    def while_stmt(self, depth: int) -> list[str]:
        c = self.fresh("c")
        lines = [f"{c} = 0", f"while {c} < {self.lit_int(0, 5)}:", f"    {c} += 1"]
        self.scope["int"].append(c)
        body = self.loop_body(depth)
        self.scope["int"].remove(c)
        lines += indent(body)
        if self.coin(0.4):
            lines += ["else:"] + indent(self.block(depth - 1))
        return lines

    def loop_body(self, depth: int) -> list[str]:
        lines = []
        if self.coin(0.5):
            lines += [f"if {self.expr('bool', 1)}:",
                      "    " + self.choice(["break", "continue", "print('skip'); continue",
                                            "print('stop'); break"])]
        lines += self.block(depth - 1)
        if self.coin(0.3):
            lines += [f"if {self.expr('bool', 1)}:", "    break"]
        return lines

    def raise_stmt(self) -> str:
        exc = self.choice(["ValueError", "TypeError", "KeyError", "IndexError", "RuntimeError",
                           "ZeroDivisionError", "AssertionError", "LookupError",
                           "ArithmeticError", "NotImplementedError", "Exception"])
        arg = self.choice(["", repr("bad value"), self.expr("int", 1), self.expr("str", 1),
                           f"{self.expr('str', 0)}, {self.expr('int', 0)}"])
        return f"raise {exc}({arg})" if self.coin(0.85) else f"raise {exc}"

    def try_stmt(self, depth: int) -> list[str]:
        body = self.block(depth - 1)
        if self.coin(0.4):
            body.append(self.raise_stmt())
        lines = ["try:"] + indent(body)
        handlers = self.draw(st.lists(st.sampled_from([
            "ZeroDivisionError", "ValueError", "TypeError", "KeyError", "IndexError",
            "LookupError", "ArithmeticError", "(ValueError, TypeError)", "AssertionError",
            "NameError", "Exception", "RuntimeError", "NotImplementedError"]),
            max_size=3, unique=True))
        for h in handlers:
            e = self.fresh("e")
            lines += [f"except {h} as {e}:",
                      f"    print({self.choice(['type(' + e + ').__name__', repr(h)])}, "
                      f"{self.choice([e, 'repr(' + e + ')', e + '.args', 'str(' + e + ')'])})"]
            if self.coin(0.15):
                lines.append("    raise")
        if not handlers or self.coin(0.2):
            lines += ["except:" if self.coin(0.3) else "except Exception:",
                      "    print('caught')"]
        if self.coin(0.3):
            lines += ["else:"] + indent(self.block(depth - 1))
        if self.coin(0.4):
            lines += ["finally:", f"    print('finally', {self.expr('int', 1)})"]
        return lines

    def assert_stmt(self) -> list[str]:
        msg = f", {self.expr('str', 1)}" if self.coin(0.5) else ""
        return [f"assert {self.expr('bool', 2)}{msg}"]

    def del_stmt(self) -> list[str]:
        t = self.choice(["int", "str", "float"])
        name = self.fresh("tmp")
        return [f"{name} = {self.expr(t, 1)}", f"print({name})", f"del {name}",
                f"print({name})" if self.coin(0.1) else f"print({self.expr(t, 1)})"]

    def statement(self, depth: int) -> list[str]:
        options = ["show", "show", "show", "assign", "assign", "mutate", "unpack", "assert",
                   "del"]
        if depth > 0:
            options += ["if", "for", "for", "while", "try"]
        kind = self.choice(options)
        if kind == "show":
            return self.show()
        if kind == "assign":
            return self.assign() if not self.in_function else self.show()
        if kind == "mutate":
            return self.mutate()
        if kind == "unpack":
            return self.unpack() if not self.in_function else self.show()
        if kind == "assert":
            return self.assert_stmt()
        if kind == "del":
            return self.del_stmt()
        if kind == "if":
            return self.if_stmt(depth)
        if kind == "for":
            return self.for_stmt(depth)
        if kind == "while":
            return self.while_stmt(depth)
        return self.try_stmt(depth)

    def block(self, depth: int) -> list[str]:
        lines = []
        for _ in range(self.lit_int(1, 3)):
            lines += self.statement(max(depth, 0))
        return lines

    # ---------------------------------------------------------------- functions
    def function(self) -> list[str]:
        name = self.fresh("f")
        sig = {"pos": [], "star": False, "kwonly": [], "starstar": False}
        used_default = False
        for i in range(self.lit_int(0, 3)):
            t = self.choice(["int", "int", "float", "str", "list"])
            default = None
            if used_default or self.coin(0.35):
                default = self.literal(t)
                if t == "list":  # a mutable default is shared between calls: avoid it
                    t, default = "int", "0"
                used_default = True
            sig["pos"].append((f"p{i}", t, default))
        sig["star"] = self.coin(0.3)
        for i in range(self.lit_int(0, 2) if self.coin(0.4) else 0):
            t = self.choice(["int", "str", "bool"])
            sig["kwonly"].append((f"kw{i}", t, self.literal(t) if self.coin(0.6) else None))
        sig["starstar"] = self.coin(0.25)
        params = [p + (f"={dflt}" if dflt is not None else "") for p, _, dflt in sig["pos"]]
        if sig["star"]:
            params.append("*args")
        elif sig["kwonly"]:
            params.append("*")
        params += [k + (f"={dflt}" if dflt is not None else "") for k, _, dflt in sig["kwonly"]]
        if sig["starstar"]:
            params.append("**kwargs")
        ret = self.choice(["int", "str", "list", "float", "bool", "tuple"])

        saved = {t: list(v) for t, v in self.scope.items()}
        was = self.in_function
        self.in_function = True
        for p, t, _ in sig["pos"] + sig["kwonly"]:
            self.scope[t].append(p)
        if sig["star"]:
            self.scope["tuple"].append("args")
        if sig["starstar"]:
            self.scope["dict"].append("kwargs")
        body = []
        for _ in range(self.lit_int(0, 2)):
            body += self.statement(1)
        if self.coin(0.3):
            body += [f"if {self.expr('bool', 1)}:", f"    return {self.expr(ret, 2)}"]
        body.append(f"return {self.expr(ret, 2)}")
        self.scope = saved
        self.in_function = was
        self.funcs[name] = (sig, ret)
        lines = [f"def {name}({', '.join(params)}):"] + indent(body)
        lines.append(f"print({self.call(name, 1)})")
        if self.coin(0.3):
            lines += ["try:", f"    print({self.call(name, 1, wrong=True)})",
                      "except TypeError as err:", "    print('TypeError', err)"]
        return lines

    def closure(self) -> list[str]:
        mk, inner = self.fresh("make"), self.fresh("inner")
        t = self.choice(["int", "list", "str"])
        if t == "int":
            update = ["nonlocal total", f"total {self.choice(['+=', '-=', '*=', '^='])} step"]
            start, ret = self.expr("int", 1), "total"
        elif t == "list":
            update = ["seen.append(step)"]
            start, ret = "None", "list(seen)"
        else:
            update = ["nonlocal total", "total = total + str(step)"]
            start, ret = self.expr("str", 1), "total"
        setup = ["seen = []"] if t == "list" else [f"total = {start}"]
        lines = [f"def {mk}():"] + indent(setup + [
            f"def {inner}(step={self.lit_int(-2, 3)}):"] + indent(update + [f"return {ret}"])
            + [f"return {inner}"])
        c1, c2 = self.fresh("cl"), self.fresh("cl")
        lines += [f"{c1} = {mk}()", f"{c2} = {mk}()"]
        for _ in range(self.lit_int(1, 4)):
            c = self.choice([c1, c1, c2])
            arg = self.expr("int", 1) if self.coin(0.6) else ""
            lines.append(f"print({c}({arg}))")
        if self.coin(0.5):
            adder = self.fresh("adder")
            lines += [f"def {adder}(n):", "    return lambda m, k=2: n * k + m",
                      f"print([{adder}(i)(i + 1) for i in range({self.lit_int(0, 4)})])",
                      f"fs = [lambda j=j: j * {self.lit_int(1, 4)} for j in range(3)]",
                      "print([g() for g in fs])"]
        return lines

    def recursion(self) -> list[str]:
        kind = self.lit_int(0, 6)
        n = self.lit_int(0, 12)
        if kind == 0:
            return ["def fact(n):", "    return 1 if n <= 1 else n * fact(n - 1)",
                    f"print(fact({n}), fact({n // 2}))"]
        if kind == 1:
            return ["def fib(n):", "    if n < 2:", "        return n",
                    "    return fib(n - 1) + fib(n - 2)",
                    f"print([fib(i) for i in range({n})])"]
        if kind == 2:
            return ["def gcd(a, b):", "    return a if b == 0 else gcd(b, a % b)",
                    f"print(gcd({self.draw(st.integers(-50, 200))}, {self.draw(st.integers(-50, 200))}))"]
        if kind == 3:
            return ["def flat(x):", "    out = []", "    for item in x:",
                    "        if isinstance(item, list):", "            out.extend(flat(item))",
                    "        else:", "            out.append(item)", "    return out",
                    f"print(flat({self.nested_list(3)}))"]
        if kind == 4:
            return ["def subsets(items):", "    if not items:", "        return [[]]",
                    "    rest = subsets(items[1:])",
                    "    return rest + [[items[0]] + r for r in rest]",
                    f"print(subsets({self.literal('list')}[:4]))"]
        if kind == 5:
            return ["def depth(n, acc=()):", "    if n == 0:", "        return acc",
                    "    return depth(n - 1, acc + (n,))", f"print(depth({n}))",
                    "def digits(n, *, base=10):", "    return [n] if n < base else digits(n // base, base=base) + [n % base]",
                    f"print(digits({abs(self.draw(INT_LITERALS))}, base={self.lit_int(2, 16)}))"]
        return ["def hanoi(n, a='A', b='B', c='C'):", "    if n == 0:", "        return 0",
                "    return hanoi(n - 1, a, c, b) + 1 + hanoi(n - 1, c, b, a)",
                f"print(hanoi({min(n, 8)}), hanoi(n={min(n, 5)}, c='X'))"]

    def nested_list(self, depth: int) -> str:
        items = []
        for _ in range(self.lit_int(0, 3)):
            if depth > 0 and self.coin(0.4):
                items.append(self.nested_list(depth - 1))
            else:
                items.append(str(self.lit_int(-5, 9)))
        return "[" + ", ".join(items) + "]"


PREAMBLE_TYPES = ("int", "int", "float", "str", "str", "bool", "list", "list", "dict", "set",
                  "tuple")


def _preamble(g: Gen) -> list[str]:
    lines = ["import math"]
    names = {"int": ["a", "b"], "float": ["x", "y"], "str": ["s", "t"], "bool": ["flag"],
             "list": ["xs", "ys"], "dict": ["d"], "set": ["st"], "tuple": ["tp"]}
    for typ, ns in names.items():
        for n in ns:
            lines.append(f"{n} = {g.literal(typ)}")
            g.scope[typ].append(n)
    return lines


def wrap(lines: list[str]) -> list[str]:
    return ["try:"] + indent(lines) + [
        "except Exception as exc:", "    print(type(exc).__name__ + ':', exc)"]


@st.composite
def expression_programs(draw) -> str:
    """A preamble of typed names, then prints of typed expressions, each caught."""
    g = Gen(draw)
    lines = _preamble(g)
    for _ in range(draw(st.integers(1, 8))):
        if draw(st.integers(0, 3)) == 0:
            lines += wrap([f"print(repr({g.mixed()}))"])
        else:
            lines += wrap(g.show())
    return "\n".join(lines) + "\n"


@st.composite
def statement_programs(draw) -> str:
    """Control flow, mutation, functions, closures and recursion over typed names."""
    g = Gen(draw, max_depth=2)
    lines = _preamble(g)
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["stmt", "stmt", "stmt", "func", "func", "closure",
                                     "recursion"]))
        if kind == "stmt":
            body = g.statement(2)
        elif kind == "func":
            body = g.function()
        elif kind == "closure":
            body = g.closure()
        else:
            body = g.recursion()
        lines += wrap(body) if draw(st.integers(0, 9)) < 9 else body
    return "\n".join(lines) + "\n"


@st.composite
def formatting_programs(draw) -> str:
    """f-strings, ``%`` and ``str.format`` with the specs tutorials use."""
    g = Gen(draw, max_depth=1)
    lines = _preamble(g)
    for _ in range(draw(st.integers(1, 8))):
        which = draw(st.integers(0, 3))
        e = [g.fstring(1), g.percent_format(1), g.str_format(1),
             f"format({g.expr('float', 1)}, {g.choice(FLOAT_SPECS)!r})"][which]
        lines += wrap([f"print({e})"])
    return "\n".join(lines) + "\n"


@st.composite
def raising_programs(draw) -> str:
    """Statements, then one uncaught error at the top level (or inside a call)."""
    g = Gen(draw, max_depth=2)
    lines = _preamble(g)
    for _ in range(draw(st.integers(0, 3))):
        lines += wrap(g.statement(1))
    last = draw(st.sampled_from(["raise", "expr", "assert", "call", "finally"]))
    if last == "raise":
        lines.append(g.raise_stmt())
    elif last == "expr":
        lines.append(f"print({g.expr(g.choice(TYPES), 3)})")
    elif last == "assert":
        lines += g.assert_stmt()
    elif last == "call":
        lines += ["def boom(n):", "    if n <= 0:", "        " + g.raise_stmt(),
                  "    return boom(n - 1)", f"print(boom({g.lit_int(0, 4)}))"]
    else:
        lines += ["try:", "    " + g.raise_stmt(), "finally:", "    print('cleanup')"]
    lines.append("print('not reached?')")
    return "\n".join(lines) + "\n"


@st.composite
def class_programs(draw) -> str:
    """A small class hierarchy (fields, methods, a property, special methods, super())
    and a generator function, then uses of them: printing, sorting, arithmetic,
    iteration, ``in``, attribute errors and generator protocol calls."""
    g = Gen(draw, max_depth=1)
    lines = _preamble(g)
    n_fields = draw(st.integers(1, 3))
    fields = [f"f{i}" for i in range(n_fields)]
    ops = draw(st.lists(st.sampled_from(["+", "-", "*"]), min_size=n_fields,
                        max_size=n_fields))
    key = " ".join(f"{op} self.{f}" for op, f in zip(ops, fields)).lstrip("+ ")
    if key.startswith(("- ", "* ")):
        key = "0 " + key
    lines += [
        "class Base:",
        "    kind = " + pyrepr(draw(st.sampled_from(["base", "node", "item"]))),
        "    def __init__(self, " + ", ".join(fields) + "):",
        *[f"        self.{f} = {f}" for f in fields],
        "    def score(self):",
        f"        return {key}",
        "    @property",
        "    def size(self):",
        f"        return {len(fields)}",
        "    def __repr__(self):",
        "        return f'{type(self).__name__}(' + ', '.join(repr(getattr(self, f)) "
        f"for f in {fields!r}) + ')'",
        "    def __eq__(self, other):",
        "        return isinstance(other, Base) and self.score() == other.score()",
        "    def __lt__(self, other):",
        "        return self.score() < other.score()",
        "    def __hash__(self):",
        "        return hash(self.score())",
        "    def __len__(self):",
        "        return self.size",
        "    def __iter__(self):",
        *[f"        yield self.{f}" for f in fields],
        "    def __add__(self, other):",
        "        if isinstance(other, Base):",
        "            return type(self)(*[a + b for a, b in zip(self, other)])",
        "        return NotImplemented",
        "class Child(Base):",
        "    kind = 'child'",
        "    def score(self):",
        f"        return super().score() * {draw(st.integers(-3, 3))}",
        "    @classmethod",
        "    def make(cls, v):",
        "        return cls(" + ", ".join(["v"] * n_fields) + ")",
        "    @staticmethod",
        "    def tag():",
        "        return 'tag'",
        "def walk(items, limit):",
        "    count = 0",
        "    for item in items:",
        "        if count >= limit:",
        "            return",
        "        count += 1",
        "        yield from item",
        "        yield '|'",
    ]
    objs = []
    for i in range(draw(st.integers(2, 4))):
        cls = draw(st.sampled_from(["Base", "Child"]))
        args = ", ".join(str(draw(st.integers(-5, 9))) for _ in fields)
        name = f"o{i}"
        lines.append(f"{name} = {cls}({args})")
        objs.append(name)
    uses = [
        lambda: f"print({g.choice(objs)}, repr({g.choice(objs)}), len({g.choice(objs)}))",
        lambda: f"print(sorted([{', '.join(objs)}]), max([{', '.join(objs)}]))",
        lambda: f"print({g.choice(objs)} + {g.choice(objs)}, {g.choice(objs)}.score())",
        lambda: f"print({g.choice(objs)} == {g.choice(objs)}, {g.choice(objs)} < "
                f"{g.choice(objs)}, {g.choice(objs)} in [{', '.join(objs)}])",
        lambda: f"print(list({g.choice(objs)}), sum({g.choice(objs)}), "
                f"dict(enumerate({g.choice(objs)})))",
        lambda: f"print(Child.make({draw(st.integers(-3, 3))}), Child.tag(), "
                f"{g.choice(objs)}.kind, {g.choice(objs)}.size)",
        lambda: f"print(list(walk([{', '.join(objs)}], {draw(st.integers(0, 5))})))",
        lambda: f"print({g.choice(objs)}.missing)",
        lambda: f"print({g.choice(objs)} + {draw(st.integers(0, 3))})",
        lambda: f"gen = walk([{', '.join(objs)}], 2)\n"
                "print(next(gen), next(gen), list(gen), next(gen, 'end'))",
        lambda: f"print(len({{{', '.join(objs)}}}), isinstance({g.choice(objs)}, Child), "
                f"type({g.choice(objs)}).__name__)",
    ]
    for _ in range(draw(st.integers(1, 6))):
        use = draw(st.sampled_from(uses))()
        lines += wrap(use.split("\n"))
    return "\n".join(lines) + "\n"


# -------------------------------------------------------------------- runners
Result = tuple[str, "tuple[str, str] | None"]


class _Timeout(BaseException):
    pass


def _alarm(signum, frame):
    raise _Timeout


def run_cpython(src: str, timeout: float | None = None) -> Result:
    """What ``src`` prints under this CPython (in-process) and what it raised; with a
    ``timeout`` (seconds of Python bytecode), ``("<timeout>", "")`` when it ran longer."""
    import signal

    buf = io.StringIO()
    error = None
    armed = timeout is not None and hasattr(signal, "setitimer")
    if armed:
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        with contextlib.redirect_stdout(buf):
            try:
                exec(compile(src, "<prog>", "exec"), {"__name__": "__main__"})  # noqa: S102
            except Exception as exc:  # noqa: BLE001 - the reference's behaviour is the data
                error = (type(exc).__name__, str(exc))
    except _Timeout:
        error = ("<timeout>", "")
    finally:
        if armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    return buf.getvalue(), error


def run_adcli(src: str) -> Result:
    """What ``src`` prints in a fresh ``.py`` session of adcli and what it raised."""
    from adcli.errors import AdcliError
    from adcli.lang.interpreter import Session
    from adcli.limits import Limits

    out: list[str] = []
    session = Session(limits=Limits(), out=out.append, dialect="py")
    error = None
    try:
        session.exec_source(src, "<prog>")
    except AdcliError as exc:
        error = (exc.kind, str(exc))
    except Exception as exc:  # noqa: BLE001 - an internal error is a finding, keep it
        error = ("<internal> " + type(exc).__name__,
                 "".join(traceback.format_exception_only(type(exc), exc)).strip())
    return "".join(out), error
