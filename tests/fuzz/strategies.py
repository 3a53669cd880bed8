"""Hypothesis strategies for the differential fuzz: random adcli programs over Tier 1+2 ops.

A program is a list of statements in the adcli language (which is also Python once `^`
is read as `**`): leaf declarations written as explicit `tensor([...])` literals, then an
expression or a short script, then backward calls. The generator knows the shape of every
subexpression, so it only builds shapes that broadcast, and a conservative interval for
its values, so that domain-restricted functions get arguments inside their domain
(`log` of positives, `asin` inside (-1, 1), ...) and magnitudes stay moderate: it wraps
an argument in a small *adapter* such as `sigmoid(e) + 0.1` when its interval is not
already inside the domain. Ops whose result jumps at integers or at zero (`floor`,
`sign`, ...) only get arguments computed exactly in float32 (leaves and correctly
rounded arithmetic), so both engines see the same bits there.

Every float constructor carries the marker ``MARK``. ``Program.source(float64=True)``
turns it into ``dtype=torch.float64``: the same program in double precision, which the
test uses as the yardstick of float32 rounding error.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field, replace

from hypothesis import strategies as st

MARK = "\x01"
LIMIT = 1000.0  # every value the generator builds stays within [-LIMIT, LIMIT]

# precedence of a rendered expression, as Python (and adcli) parse it
ATOM, POW, UNARY, MUL, ADD, CMP = 100, 90, 80, 70, 60, 50

VALUES = st.one_of(
    st.sampled_from([0.0, 1.0, -1.0, 0.5, 2.0, -2.0, 0.25, -0.5]),
    st.integers(-300, 300).map(lambda k: k / 100),
)
POSITIVE = st.integers(20, 300).map(lambda k: k / 100)
INTS = st.integers(-4, 5)
# thresholds (clamp bounds, where conditions): ties are part of the test where both
# engines compute the operand exactly; elsewhere a tie would only measure rounding
NICE_BOUNDS = (0.0, 0.5, -0.5, 1.0, -1.0, 0.2, 2)
ODD_BOUNDS = (0.3183, -0.4183, 0.7071, -0.9137, 1.4142, -1.2345)


@dataclass(frozen=True)
class Val:
    """A generated expression: its source text and what the generator knows about it."""

    src: str
    shape: tuple
    lo: float
    hi: float
    exact: bool = True  # computed with correctly rounded float ops only (same bits everywhere)
    prec: int = ATOM
    dtype: str = "f"  # f: float32, d: float64, i: int64, b: bool
    deps: frozenset = frozenset()  # names of grad-requiring tensors it depends on
    alias: str | None = None  # the named tensor whose storage it views, if any

    @property
    def mag(self) -> float:
        return max(abs(self.lo), abs(self.hi))

    @property
    def numel(self) -> int:
        return math.prod(self.shape)


@dataclass
class Program:
    stmts: list = field(default_factory=list)  # top-level statements (a `with` block is one)
    checks: list = field(default_factory=list)  # expressions compared after the run
    kind: str = "expr"

    def source(self, float64: bool = False) -> list:
        if not float64:
            return [s.replace(MARK, "") for s in self.stmts]
        return [s.replace(MARK, ", dtype=torch.float64").replace(".float()", ".double()")
                for s in self.stmts]

    def text(self) -> str:
        return "\n".join(self.source()) + "\n"


# ---------------------------------------------------------------------------- helpers


def wrap(v: Val, need: int) -> str:
    return v.src if v.prec >= need else f"({v.src})"


def num(c) -> str:
    return c if isinstance(c, str) else repr(c)


def num_prec(c) -> int:
    return UNARY if c < 0 or (c == 0 and math.copysign(1, c) < 0) else ATOM


def nest(vals, shape) -> str:
    if not shape:
        return num(vals[0])
    step = len(vals) // shape[0]
    return "[" + ", ".join(nest(vals[i * step:(i + 1) * step], shape[1:])
                           for i in range(shape[0])) + "]"


def tup(shape) -> str:
    if len(shape) == 1:
        return f"({shape[0]},)"
    return "(" + ", ".join(map(str, shape)) + ")"


def f32(x: float) -> float:
    import numpy as np

    return float(np.float32(x))


def hull(*vals) -> tuple:
    return min(v.lo for v in vals), max(v.hi for v in vals)


def promote(*dts) -> str:
    if "d" in dts:
        return "d"
    if "f" in dts:
        return "f"
    if "i" in dts:
        return "i"
    return "b"


def floatish(dt: str) -> str:
    return dt if dt in "fd" else "f"


def _sigmoid(x):
    return 1 / (1 + math.exp(-x)) if x > -700 else 0.0


def _softplus(x):
    return x if x > 20 else math.log1p(math.exp(x)) if x > -700 else 0.0


def mono(f):
    return lambda lo, hi: (f(lo), f(hi))


def dec(f):
    return lambda lo, hi: (f(hi), f(lo))


def const(a, b):
    return lambda lo, hi: (a, b)


def _abs_iv(lo, hi):
    if lo >= 0:
        return lo, hi
    if hi <= 0:
        return -hi, -lo
    return 0.0, max(-lo, hi)


def _cosh_iv(lo, hi):
    a, b = _abs_iv(lo, hi)
    return math.cosh(a), math.cosh(b)


# name: (domain need, interval, keeps exactness, needs an exact argument, forms)
# forms: f = bare function, t = torch.f, m = method, F = F.f
UNARY_OPS = {
    "exp": ("small4", mono(math.exp), False, False, "ftm"),
    "log": ("pos", mono(math.log), False, False, "ftm"),
    "log2": ("pos", mono(math.log2), False, False, "ftm"),
    "log10": ("pos", mono(math.log10), False, False, "ftm"),
    "sqrt": ("pos", mono(math.sqrt), True, False, "ftm"),
    "rsqrt": ("pos", dec(lambda x: 1 / math.sqrt(x)), False, False, "ftm"),
    "reciprocal": ("pos", dec(lambda x: 1 / x), True, False, "ftm"),
    "sin": (None, const(-1.0, 1.0), False, False, "ftm"),
    "cos": (None, const(-1.0, 1.0), False, False, "ftm"),
    "tan": ("tan", mono(math.tan), False, False, "ftm"),
    "asin": ("unit", mono(math.asin), False, False, "ftm"),
    "acos": ("unit", dec(math.acos), False, False, "ftm"),
    "atan": (None, mono(math.atan), False, False, "ftm"),
    "sinh": ("small4", mono(math.sinh), False, False, "ftm"),
    "cosh": ("small4", _cosh_iv, False, False, "ftm"),
    "tanh": (3.0, mono(math.tanh), False, False, "ftm"),
    "sigmoid": (6.0, mono(_sigmoid), False, False, "ftm"),
    "relu": (None, mono(lambda x: max(x, 0.0)), True, False, "ftmF"),
    "softplus": (None, mono(_softplus), False, False, "F"),
    "abs": (None, _abs_iv, True, False, "ftm"),
    "neg": (None, dec(lambda x: -x), True, False, "ftm-"),
    "sign": (None, const(-1.0, 1.0), True, True, "ftm"),
    "floor": (None, mono(math.floor), True, True, "ftm"),
    "ceil": (None, mono(math.ceil), True, True, "ftm"),
    "round": (None, mono(round), True, True, "ftm"),
}
INT_KEEPING = {"relu", "abs", "neg", "sign", "floor", "ceil", "round"}
POSITIVE_OPS = ("log", "log2", "log10", "sqrt", "rsqrt", "reciprocal")

SHAPES_KINDS = ("reshape", "view", "flatten", "squeeze", "unsqueeze", "transpose", "permute",
                "expand", "repeat", "cat", "stack", "clone", "t")
KINDS = ("leaf", "unary", "binary", "scalar", "unary", "reduce", "shape", "index", "binary",
         "pow", "linalg", "softmax", "where", "clamp", "const", "reduce", "shape", "cast")


def divisors(n):
    return [d for d in range(1, n + 1) if n % d == 0]


class Gen:
    """Draws one program; ``draw`` is hypothesis's draw function."""

    def __init__(self, draw, budget: int = 24) -> None:
        self.draw = draw
        self.stmts: list = []
        self.env: dict = {}  # name -> Val (src is the name)
        self.nx = itertools.count()
        self.budget = budget
        self.inject = False  # may plant one deliberate mistake (both sides must raise)
        self.injected = False

    def fault(self) -> bool:
        """Whether to plant the program's one deliberate error here."""
        if self.inject and not self.injected and self.draw(st.integers(0, 3)) == 0:
            self.injected = True
            return True
        return False

    # ---- drawing ---------------------------------------------------------------------
    def pick(self, seq):
        return self.draw(st.sampled_from(list(seq)))

    def coin(self) -> bool:
        return self.draw(st.booleans())

    def rarely(self) -> bool:
        return self.draw(st.integers(0, 9)) == 9

    def randint(self, a: int, b: int) -> int:
        return self.draw(st.integers(a, b))

    def shape(self, max_rank: int = 3, min_rank: int = 0) -> tuple:
        rank = self.randint(min_rank, max_rank)
        return tuple(self.randint(1, 4) for _ in range(rank))

    # ---- leaves ----------------------------------------------------------------------
    def ref(self, name: str) -> Val:
        v = self.env[name]
        return replace(v, src=name, prec=ATOM, alias=name)

    def leaf(self, shape, positive: bool = False) -> Val:
        names = [n for n, v in self.env.items()
                 if v.shape == shape and (not positive or v.lo >= 0.2)]
        if names and self.coin():
            return self.ref(self.pick(names))
        if not positive and self.rarely():
            return self.const(shape)
        return self.new_leaf(shape, positive)

    def new_leaf(self, shape, positive: bool = False, kind: str | None = None) -> Val:
        if kind is None:
            kind = self.pick(("fg", "fg", "fg", "f", "fg", "dg", "fg", "i", "fg"))
        n = math.prod(shape)
        if kind == "i":
            vals = self.draw(st.lists(st.integers(1, 5) if positive else INTS,
                                      min_size=n, max_size=n))
        else:
            vals = self.draw(st.lists(POSITIVE if positive else VALUES, min_size=n, max_size=n))
        name = f"x{next(self.nx)}"
        lit = nest(vals, shape)
        ctor = self.pick(("tensor", "torch.tensor"))
        if kind == "fg":
            form = self.pick(("kw", "kw", "method", "variable"))
            if form == "kw":
                src = f"{ctor}({lit}, requires_grad=True{MARK})"
            elif form == "method":
                src = f"{ctor}({lit}{MARK}).requires_grad_()"
            else:
                src = f"Variable({ctor}({lit}{MARK}), requires_grad=True)"
        elif kind == "f":
            src = f"{ctor}({lit}{MARK})"
        elif kind == "dg":
            dt = self.pick(("torch.float64", "float64"))
            src = f"{ctor}({lit}, dtype={dt}, requires_grad=True)"
        else:
            src = f"{ctor}({lit})"
        self.stmts.append(f"{name} = {src}")
        fv = [f32(v) for v in vals] if kind != "i" else vals
        grad = kind.endswith("g")
        v = Val(name, tuple(shape), min(fv), max(fv), True, ATOM, kind[0],
                frozenset([name]) if grad else frozenset(), name)
        self.env[name] = v
        return v

    def const(self, shape) -> Val:
        """A constructor that needs no literal: ones, zeros, full, eye, arange, linspace."""
        r = len(shape)
        opts = ["ones", "zeros", "full"]
        if r == 1:
            opts += ["arange", "arangef", "linspace"]
        if r == 2:
            opts += ["eye"]
        same = [n for n, v in self.env.items() if v.shape == shape]
        if same:
            opts += ["ones_like", "zeros_like"]
        op = self.pick(opts)
        if not shape:
            dims = "()"
        else:
            dims = ", ".join(map(str, shape)) if self.coin() else tup(shape)
        if op in ("ones", "zeros"):
            c = 1.0 if op == "ones" else 0.0
            return Val(f"{op}({dims}{MARK})", shape, c, c)
        if op == "full":
            c = self.pick((0.5, -1.5, 2.0, 3.0))
            return Val(f"full({tup(shape) if shape else '()'}, {num(c)}{MARK})", shape, c, c)
        if op == "arange":
            return Val(f"arange({shape[0]})", shape, 0, shape[0] - 1, dtype="i")
        if op == "arangef":
            return Val(f"arange({shape[0]}.0{MARK})", shape, 0, shape[0] - 1)
        if op == "linspace":
            a, b = self.pick(((-1, 1), (0, 2), (0.5, 1.5)))
            return Val(f"linspace({a}, {b}, {shape[0]}{MARK})", shape, min(a, b), max(a, b),
                       exact=False)
        if op == "eye":
            n, m = shape
            src = f"eye({n}{MARK})" if n == m else f"eye({n}, {m}{MARK})"
            return Val(src, shape, 0.0 if n * m > 1 else 1.0, 1.0)
        ref = self.env[self.pick(same)]
        c = 1.0 if op == "ones_like" else 0.0
        return Val(f"{op}({ref.src})", shape, c, c, dtype=ref.dtype)

    # ---- building blocks ---------------------------------------------------------------
    def call(self, name: str, v: Val, forms: str, args: str = "") -> tuple:
        form = self.pick(forms)
        extra = f", {args}" if args else ""
        if form == "f":
            return f"{name}({v.src}{extra})", ATOM
        if form == "t":
            return f"torch.{name}({v.src}{extra})", ATOM
        if form == "F":
            return f"F.{name}({v.src}{extra})", ATOM
        if form == "-":
            return f"-{wrap(v, UNARY)}", UNARY
        return f"{wrap(v, ATOM)}.{name}({args})", ATOM

    def unary(self, name: str, v: Val, form: str | None = None) -> Val:
        need, iv, keep, _, forms = UNARY_OPS[name]
        v = self.fit(v, need)
        src, prec = self.call(name, v, form or forms)
        lo, hi = iv(v.lo, v.hi)
        dt = v.dtype if (name in INT_KEEPING and v.dtype == "i") else floatish(v.dtype)
        return Val(src, v.shape, min(lo, hi), max(lo, hi), keep and v.exact, prec, dt,
                   v.deps, None)

    def scalar(self, op: str, v: Val, c, right: bool = True) -> Val:
        """v op c (right) or c op v."""
        level = ADD if op in "+-" else MUL
        if right:
            src = f"{wrap(v, level)} {op} {num(c) if num_prec(c) >= level + 1 else f'({num(c)})'}"
        else:
            src = f"{num(c) if num_prec(c) >= level else f'({num(c)})'} {op} {wrap(v, level + 1)}"
        a, b = (v.lo, v.hi)
        if op == "+":
            lo, hi = a + c, b + c
        elif op == "-":
            lo, hi = (a - c, b - c) if right else (c - b, c - a)
        elif op == "*":
            lo, hi = sorted((a * c, b * c))
        else:  # "/"
            if right:
                lo, hi = sorted((a / c, b / c))
            else:  # c / v with v positive
                lo, hi = sorted((c / a, c / b))
        dt = v.dtype
        if isinstance(c, float) or op == "/":
            dt = floatish(dt)
        return Val(src, v.shape, lo, hi, v.exact, level, dt, v.deps, None)

    def clamp(self, v: Val, lo=None, hi=None, form: str | None = None) -> Val:
        form = form or self.pick(("f", "t", "m", "mkw", "fkw"))
        parts = []
        if form in ("f", "t", "m") and lo is not None and hi is not None:
            parts = [num(lo), num(hi)]
        else:
            if lo is not None:
                parts.append(f"min={num(lo)}")
            if hi is not None:
                parts.append(f"max={num(hi)}")
        args = ", ".join(parts)
        if form in ("m", "mkw"):
            src = f"{wrap(v, ATOM)}.clamp({args})"
        else:
            src = f"{'torch.' if form == 't' else ''}clamp({v.src}, {args})"
        nlo = v.lo if lo is None else max(v.lo, lo)
        nhi = v.hi if hi is None else min(v.hi, hi)
        if lo is not None:
            nhi = max(nhi, lo)
        if hi is not None:
            nlo = min(nlo, hi)
        int_bounds = all(isinstance(b, int) for b in (lo, hi) if b is not None)
        dt = v.dtype if v.dtype != "i" or int_bounds else "f"
        return Val(src, v.shape, nlo, nhi, v.exact, ATOM, dt, v.deps, None)

    # ---- domain adapters -----------------------------------------------------------------
    def ok(self, v: Val, need) -> bool:
        if v.dtype == "b":
            return False
        if need is None:
            return True
        if need == "pos":
            return v.lo >= 0.1
        if need == "pos2":
            return v.lo >= 0.2
        if need == "powbase":
            return 0.2 <= v.lo and v.hi <= 5
        if need == "unit":
            return -0.9 <= v.lo and v.hi <= 0.9
        if need == "small4":
            return v.mag <= 4
        if need == "tan":
            return v.mag <= 1.2
        if isinstance(need, (int, float)):
            return v.mag <= need
        raise AssertionError(need)

    def fit(self, v: Val, need) -> Val:
        if self.ok(v, need):
            return v
        if v.dtype == "b":
            v = Val(f"{wrap(v, ATOM)}.float()", v.shape, 0.0, 1.0)
            if self.ok(v, need):
                return v
        if need in ("pos", "pos2"):
            t = 0.1 if need == "pos" else 0.2
            a = self.pick(("sigmoid", "abs", "clamp", "exptanh", "relu", "square"))
            if a == "square" and v.mag > 30:
                a = "sigmoid"
            if a == "sigmoid":
                return self.scalar("+", self.unary("sigmoid", v), t)
            if a == "abs":
                return self.scalar("+", self.unary("abs", v), t + 0.3)
            if a == "clamp":
                return self.clamp(v, lo=t + 0.05, form=self.pick(("fkw", "mkw")))
            if a == "relu":
                return self.scalar("+", self.unary("relu", v), t)
            if a == "square":
                return self.scalar("+", self.power(v, 2), 0.25)
            return self.unary("exp", self.unary("tanh", v))
        if need == "powbase":
            a = self.pick(("sigmoid", "clamp", "exptanh"))
            if a == "sigmoid":
                return self.scalar("+", self.unary("sigmoid", v), 0.5)
            if a == "clamp":
                return self.clamp(v, 0.5, 2.0)
            return self.unary("exp", self.unary("tanh", v))
        if need == "unit":
            a = self.pick(("tanh", "clamp", "sin", "sigmoid"))
            if a == "sigmoid":
                return self.scalar("-", self.unary("sigmoid", v), 0.5)
            if a == "clamp":
                return self.clamp(v, -0.9, 0.9)
            return self.scalar("*", self.unary(a, v), 0.9)
        bound = float({"small4": 4.0, "tan": 1.2}.get(need, need))
        a = self.pick(("scale", "clamp", "sin"))
        if a == "clamp":
            b = min(3.0, bound)
            return self.clamp(v, -b, b)
        if a == "scale":  # by a power of two: exact
            return self.scalar("*", v, 2.0 ** math.floor(math.log2(bound / v.mag)))
        w = self.unary("sin", v)
        if bound < 1:
            w = self.scalar("*", w, bound)
        return w

    def floaty(self, v: Val) -> Val:
        if v.dtype in "fd":
            return v
        conv = "double" if v.dtype == "i" and self.rarely() else "float"
        return replace(v, src=f"{wrap(v, ATOM)}.{conv}()", prec=ATOM,
                       dtype="f" if conv == "float" else "d", alias=None)

    def power(self, v: Val, c) -> Val:
        """v ** c for a number c, the base fitted to the exponent's domain."""
        if isinstance(c, int) and c >= 0:
            if c >= 2 and v.mag > LIMIT ** (1 / c):
                v = self.fit(v, 3.0)
        else:
            v = self.fit(v, "pos")
            if c > 1 and v.mag > 50:
                v = self.fit(v, 3.0)
        form = self.pick(("**", "^", "f", "t", "m"))
        cs = num(c)
        if form in ("**", "^"):
            src, prec = f"{wrap(v, ATOM)} {form} {cs}", POW
        elif form == "m":
            src, prec = f"{wrap(v, ATOM)}.pow({cs})", ATOM
        else:
            src, prec = f"{'torch.' if form == 't' else ''}pow({v.src}, {cs})", ATOM
        cands = [v.lo ** c if v.lo != 0 or c >= 0 else math.inf, v.hi ** c]
        if v.lo < 0 < v.hi:
            cands.append(0.0)
        cands = [float(x.real) if isinstance(x, complex) else float(x) for x in cands]
        dt = floatish(v.dtype) if isinstance(c, float) or c < 0 else v.dtype
        return Val(src, v.shape, min(cands), max(cands), v.exact and c in (1, 2), prec, dt,
                   v.deps, None)

    # ---- expressions -----------------------------------------------------------------------
    def expr(self, shape, depth: int, top: bool = False) -> Val:
        shape = tuple(shape)
        self.budget -= 1
        if depth <= 0 or self.budget <= 0:
            return self.leaf(shape)
        kind = self.pick(KINDS[1:] if top else KINDS)
        v = getattr(self, "b_" + kind)(shape, depth - 1)
        if v is None:
            v = self.b_unary(shape, depth - 1)
        assert v.shape == shape, (v, shape)
        return v

    def b_leaf(self, shape, depth):
        return self.leaf(shape)

    def b_const(self, shape, depth):
        return self.const(shape)

    def b_unary(self, shape, depth):
        if self.rarely() or self.rarely():  # log(x) etc. of a positive leaf, no adapter
            return self.unary(self.pick(POSITIVE_OPS), self.leaf(shape, positive=True))
        v = self.expr(shape, depth)
        names = [n for n, spec in UNARY_OPS.items() if v.exact or not spec[3]]
        return self.unary(self.pick(names), v)

    def b_cast(self, shape, depth):
        v = self.expr(shape, depth)
        conv = self.pick(("float", "double", "long") if v.exact else ("float", "double"))
        dt = {"float": "f", "double": "d", "long": "i"}[conv]
        lo, hi = (math.trunc(v.lo), math.trunc(v.hi)) if conv == "long" else (v.lo, v.hi)
        return Val(f"{wrap(v, ATOM)}.{conv}()", shape, lo, hi, v.exact, ATOM, dt, v.deps
                   if conv != "long" else frozenset())

    def b_pow(self, shape, depth):
        v = self.expr(shape, depth)
        if self.rarely():  # a number to the power of a tensor
            v = self.fit(v, 3.0)
            c = self.pick((2, 0.5, 3, 1.5))
            src = f"{num(c)} {self.pick(('**', '^'))} {wrap(v, UNARY)}"
            vals = (c ** v.lo, c ** v.hi)
            return Val(src, shape, min(vals), max(vals), False, POW, floatish(v.dtype), v.deps)
        return self.power(v, self.pick((2, 3, 0.5, -1, 2.0, 1.5, -0.5, 0, 1, -2)))

    def b_clamp(self, shape, depth):
        v = self.expr(shape, depth)
        # bounds that a value rounded differently by two math libraries won't sit on
        pool = NICE_BOUNDS if v.exact else ODD_BOUNDS
        bounds = sorted(self.draw(st.lists(st.sampled_from(pool), min_size=2, max_size=2)))
        which = self.pick(("both", "min", "max"))
        lo = bounds[0] if which != "max" else None
        hi = bounds[1] if which != "min" else None
        return self.clamp(v, lo, hi)

    def broadcast_shapes(self, shape, n: int) -> list:
        """n shapes that broadcast together to ``shape``."""
        r = len(shape)
        out = []
        for i in range(n):
            rank = r if i == 0 else self.randint(0, r)
            dims = list(shape[r - rank:])
            for j in range(rank):
                if dims[j] > 1 and self.rarely() or (dims[j] > 1 and self.coin() and i > 0):
                    dims[j] = 1
            out.append(dims)
        # every dim > 1 of the result must appear in some operand
        for k in range(1, r + 1):
            if shape[-k] > 1 and all(len(d) < k or d[-k] == 1 for d in out):
                out[0][-k] = shape[-k]
        if n > 1 and r and shape[-1] > 1 and self.fault():  # sizes that don't broadcast
            out[1] = out[1] or [1]
            out[1][-1] = shape[-1] + 1
        order = self.draw(st.permutations(range(n)))
        return [tuple(out[i]) for i in order]

    def b_binary(self, shape, depth):
        op = self.pick(("+", "-", "*", "/", "add", "sub", "mul", "div", "**", "maximum",
                        "minimum", "pow", "max", "min"))
        sa, sb = self.broadcast_shapes(shape, 2)
        a = self.expr(sa, depth)
        b = self.expr(sb, depth)
        if a.dtype == "b":
            a = self.floaty(a)
        if b.dtype == "b":
            b = self.floaty(b)
        name = {"+": "add", "-": "sub", "*": "mul", "/": "div", "**": "pow", "max": "maximum",
                "min": "minimum"}.get(op, op)
        alpha = None
        if name in ("mul",) and a.mag * b.mag > LIMIT:
            a, b = self.fit(a, 10.0), self.fit(b, 10.0)
        if name == "div":
            b = self.fit(b, "pos2")
            if a.mag > 100:
                a = self.fit(a, 3.0)
        if name == "pow":
            a, b = self.fit(a, "powbase"), self.fit(b, 3.0)
        if name in ("add", "sub") and op not in "+-" and self.rarely():
            alpha = self.pick((2, 0.5, -1))
            b2lo, b2hi = sorted((b.lo * alpha, b.hi * alpha))
        else:
            b2lo, b2hi = b.lo, b.hi
        if op in "+-*/":
            level = ADD if op in "+-" else MUL
            src, prec = f"{wrap(a, level)} {op} {wrap(b, level + 1)}", level
        elif op == "**":
            src, prec = f"{wrap(a, ATOM)} {self.pick(('**', '^'))} {wrap(b, UNARY)}", POW
        elif op in ("max", "min"):
            src = self.pick((f"{op}({a.src}, {b.src})", f"torch.{op}({a.src}, {b.src})",
                             f"{wrap(a, ATOM)}.{op}({b.src})"))
            prec = ATOM
        else:
            form = self.pick(("f", "t", "m"))
            extra = f", alpha={num(alpha)}" if alpha is not None else ""
            if form == "m":
                src = f"{wrap(a, ATOM)}.{name}({b.src}{extra})"
            else:
                src = f"{'torch.' if form == 't' else ''}{name}({a.src}, {b.src}{extra})"
            prec = ATOM
        if name == "add":
            lo, hi = a.lo + b2lo, a.hi + b2hi
        elif name == "sub":
            lo, hi = a.lo - b2hi, a.hi - b2lo
        elif name == "mul":
            c = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi]
            lo, hi = min(c), max(c)
        elif name == "div":
            c = [a.lo / b.lo, a.lo / b.hi, a.hi / b.lo, a.hi / b.hi]
            lo, hi = min(c), max(c)
        elif name == "pow":
            c = [a.lo ** b.lo, a.lo ** b.hi, a.hi ** b.lo, a.hi ** b.hi]
            lo, hi = min(c), max(c)
        elif name == "maximum":
            lo, hi = max(a.lo, b.lo), max(a.hi, b.hi)
        else:
            lo, hi = min(a.lo, b.lo), min(a.hi, b.hi)
        dt = promote(a.dtype, b.dtype)
        if name in ("div", "pow") or alpha == 0.5:
            dt = floatish(dt) if name == "div" or dt == "i" and alpha == 0.5 else dt
        exact = a.exact and b.exact and name != "pow"
        return Val(src, shape, lo, hi, exact, prec, dt, a.deps | b.deps)

    def b_scalar(self, shape, depth):
        v = self.expr(shape, depth)
        if v.dtype == "b":
            v = self.floaty(v)
        op = self.pick("+-*/")
        c = self.pick((2, 0.5, 3, -1, 1.5, 2.5, -0.25, 1, 10, 0.0))
        right = self.coin()
        if op == "/" and not right:
            v = self.fit(v, "pos2")
            if abs(c) > 2:
                c = 2
        if op == "/" and right and c == 0:
            c = 4
        if op == "*" and v.mag * abs(c) > LIMIT:
            v = self.fit(v, 3.0)
        return self.scalar(op, v, c, right)

    def b_reduce(self, shape, depth):
        op = self.pick(("sum", "mean", "prod", "amax", "amin", "max", "min", "norm", "std",
                        "var", "logsumexp", "sum", "mean"))
        r = len(shape)
        modes = ["dim"]
        if r == 0 and op != "logsumexp":
            modes += ["full", "full"]
        if 1 in shape:
            modes += ["keepdim"]
        if op in ("sum", "mean", "amax", "amin", "logsumexp", "norm", "std", "var") and r <= 1:
            modes += ["dims"]
        mode = self.pick(modes)
        keep = mode == "keepdim"
        if mode == "full":
            cshape = self.shape()
            dims = None
        elif mode == "keepdim":
            d = self.pick([i for i, s in enumerate(shape) if s == 1])
            cshape = shape[:d] + (self.randint(1, 4),) + shape[d + 1:]
            dims = (d,)
        elif mode == "dim":
            d = self.randint(0, r)
            cshape = shape[:d] + (self.randint(1, 4),) + shape[d:]
            dims = (d,)
        else:
            d1 = self.randint(0, r)
            cshape = list(shape)
            cshape.insert(d1, self.randint(1, 3))
            d2 = self.randint(0, r + 1)
            cshape.insert(d2, self.randint(1, 3))
            cshape = tuple(cshape)
            dims = tuple(sorted((d1 if d1 < d2 else d1 + 1, d2)))
        cshape = tuple(cshape)
        v = self.expr(cshape, depth)
        if v.dtype in "ib" and op in ("mean", "norm", "std", "var", "logsumexp") \
                and not self.rarely():
            v = self.floaty(v)
        elif v.dtype == "b":
            v = self.floaty(v)
        k = math.prod(cshape) if dims is None else math.prod(cshape[d] for d in dims)
        if op == "prod" and k > 1 and v.mag > 1 and v.mag ** k > LIMIT:
            v = self.fit(v, 1.0 if k > 6 else 3.0)
        if op == "sum" and v.mag * k > LIMIT:
            v = self.fit(v, 3.0)
        rank = len(cshape)
        dim_txt = None
        if dims is not None:
            ds = [d - rank if self.rarely() or self.rarely() else d for d in dims]
            if self.fault():  # a dim out of range
                ds[0] = rank + self.randint(0, 1)
            dim_txt = str(ds[0]) if len(ds) == 1 and (op in ("max", "min", "prod")
                                                      or self.coin()) else \
                "(" + ", ".join(map(str, ds)) + ("," if len(ds) == 1 else "") + ")"
        pos, kws = [], []
        key = ""
        if op == "norm":
            p = self.pick((None, 1, 2, 3, 1.5))
            if p is not None:
                if self.coin():
                    pos.append(num(p))
                else:
                    kws.append(f"p={num(p)}")
        if dim_txt is not None:
            if op in ("max", "min"):
                key = self.pick(("[0]", ".values"))
            if op in ("std", "var") or kws or (op == "norm" and not pos) or self.coin():
                kws.insert(0, f"dim={dim_txt}")
            else:
                pos.append(dim_txt)
        if op in ("std", "var"):
            corr = self.pick((None, None, "unbiased=False", "correction=0", "correction=1"))
            if corr:
                kws.append(corr)
        if keep:
            kws.append("keepdim=True")
        elif dims is not None and self.rarely():
            kws.append("keepdim=False")
        argtxt = ", ".join(pos + kws)
        form = self.pick(("f", "t", "m"))
        if form == "m":
            src = f"{wrap(v, ATOM)}.{op}({argtxt}){key}"
        else:
            sep = ", " if argtxt else ""
            src = f"{'torch.' if form == 't' else ''}{op}({v.src}{sep}{argtxt}){key}"
        lo, hi = v.lo, v.hi
        if op == "sum":
            lo, hi = min(lo * k, lo), max(hi * k, hi)
        elif op == "prod":
            m = v.mag ** k if v.mag > 1 else v.mag
            lo, hi = (-m, m) if v.lo < 0 else ((v.lo ** k if v.lo < 1 else v.lo), max(m, v.hi))
            lo = min(lo, 0.0) if v.lo <= 0 else lo
        elif op == "norm":
            lo, hi = 0.0, k * v.mag
        elif op == "std":
            lo, hi = 0.0, (v.hi - v.lo) * math.sqrt(k) + 1e-9
        elif op == "var":
            lo, hi = 0.0, (v.hi - v.lo) ** 2 * k + 1e-9
        elif op == "logsumexp":
            lo, hi = v.lo, v.hi + math.log(k)
        exact = v.exact and op in ("amax", "amin", "max", "min")
        dt = v.dtype
        if op in ("mean", "norm", "std", "var", "logsumexp"):
            dt = floatish(dt)
        return Val(src, shape, lo, hi, exact, ATOM, dt, v.deps)

    def b_softmax(self, shape, depth):
        v = self.floaty(self.expr(shape, depth))
        v = self.fit(v, 4.0)
        r = len(shape)
        d = self.randint(-max(r, 1), max(r, 1) - 1)
        op = self.pick(("softmax", "log_softmax"))
        form = self.pick(("f", "t", "m", "F"))
        dtxt = f"dim={d}" if self.coin() else str(d)
        if form == "m":
            src = f"{wrap(v, ATOM)}.{op}({dtxt})"
        else:
            pre = {"f": "", "t": "torch.", "F": "F."}[form]
            src = f"{pre}{op}({v.src}, {dtxt})"
        k = shape[d] if shape else 1
        if op == "softmax":
            lo, hi = 0.0, 1.0
        else:
            lo, hi = v.lo - v.hi - math.log(k) - 1e-6, 0.0
        return Val(src, shape, lo, hi, False, ATOM, v.dtype, v.deps)

    def b_where(self, shape, depth):
        form = self.pick(("f", "t", "m", "scalar"))
        if form == "scalar":
            (sc, sa), sb = self.broadcast_shapes(shape, 2), None
        else:
            sc, sa, sb = self.broadcast_shapes(shape, 3)
        p = self.expr(sc, max(depth - 1, 0))
        if p.dtype == "b":
            p = self.floaty(p)
        t = self.pick(NICE_BOUNDS[:4] if p.exact else ODD_BOUNDS[:4])
        cmp = self.pick((">", "<", ">=", "<="))
        cond = f"{wrap(p, ADD)} {cmp} {num(t)}"
        a = self.expr(sa, depth)
        if a.dtype == "b":
            a = self.floaty(a)
        if form == "scalar":
            c = self.pick((0.0, 1.0, -2.0))
            src = f"where({cond}, {a.src}, {num(c)})"
            lo, hi = min(a.lo, c), max(a.hi, c)
            return Val(src, shape, lo, hi, a.exact, ATOM, floatish(a.dtype), a.deps | p.deps)
        b = self.expr(sb, depth)
        if b.dtype == "b":
            b = self.floaty(b)
        if form == "m":
            src = f"{wrap(a, ATOM)}.where({cond}, {b.src})"
        else:
            src = f"{'torch.' if form == 't' else ''}where({cond}, {a.src}, {b.src})"
        lo, hi = hull(a, b)
        return Val(src, shape, lo, hi, a.exact and b.exact, ATOM, promote(a.dtype, b.dtype),
                   a.deps | b.deps)

    def b_linalg(self, shape, depth):
        r = len(shape)
        k = self.randint(1, 4)
        if r == 0:
            kind = self.pick(("dot", "@", "trace", "mdot"))
            if kind == "trace":
                sa, sb = (self.randint(1, 4), self.randint(1, 4)), None
            else:
                sa, sb = (k,), (k,)
        elif r == 1:
            kind = self.pick(("mv", "@mv", "@vm", "matmul"))
            n = shape[0]
            if kind == "@vm":
                sa, sb = (k,), (k, n)
            elif kind == "matmul":
                sa, sb = self.pick((((n, k), (k,)), ((k,), (k, n))))
            else:
                sa, sb = (n, k), (k,)
        elif r == 2:
            kind = self.pick(("@", "mm", "matmul", "mmm", "outer"))
            m, n = shape
            if kind == "outer":
                sa, sb = (m,), (n,)
            else:
                sa, sb = (m, k), (k, n)
        elif r == 3:
            kind = self.pick(("@", "matmul"))
            b, m, n = shape
            sa, sb = self.pick((((b, m, k), (k, n)), ((b, m, k), (b, k, n)),
                                ((b, m, k), (1, k, n)), ((m, k), (b, k, n))))
        else:
            return None
        if sb is not None and kind != "outer" and self.fault():  # inner sizes differ
            sb = (sb[0] + 1,) + sb[1:] if len(sb) != 3 else (sb[0], sb[1] + 1, sb[2])
        a = self.floaty(self.expr(sa, depth))
        if kind == "trace":
            src = self.pick((f"trace({a.src})", f"{wrap(a, ATOM)}.trace()",
                             f"torch.trace({a.src})"))
            n = min(sa)
            return Val(src, shape, min(a.lo * n, a.lo), max(a.hi * n, a.hi), False, ATOM,
                       a.dtype, a.deps)
        bv = self.floaty(self.expr(sb, depth))
        if a.dtype != bv.dtype and not self.rarely():
            conv = "double" if a.dtype == "d" else "float"
            bv = replace(bv, src=f"{wrap(bv, ATOM)}.{conv}()", prec=ATOM, dtype=a.dtype)
        if a.mag * bv.mag * k > LIMIT:
            a, bv = self.fit(a, 3.0), self.fit(bv, 3.0)
        if kind in ("@", "@mv", "@vm"):
            src, prec = f"{wrap(a, MUL)} @ {wrap(bv, MUL + 1)}", MUL
        elif kind == "mdot":
            src, prec = f"{wrap(a, ATOM)}.dot({bv.src})", ATOM
        elif kind == "mmm":
            src, prec = f"{wrap(a, ATOM)}.mm({bv.src})", ATOM
        else:
            name = {"mv": "mv", "dot": "dot", "matmul": "matmul", "mm": "mm",
                    "outer": "outer"}[kind]
            pre = self.pick(("", "torch."))
            src, prec = f"{pre}{name}({a.src}, {bv.src})", ATOM
        kk = 1 if kind == "outer" else k
        m = a.mag * bv.mag * kk
        return Val(src, shape, -m, m, False, prec, promote(a.dtype, bv.dtype), a.deps | bv.deps)

    def b_shape(self, shape, depth):
        op = self.pick(SHAPES_KINDS)
        r = len(shape)
        n = math.prod(shape)
        if op in ("reshape", "view"):
            cshape = self.shape_with_numel(n)
            if self.fault():  # a different number of elements
                cshape = cshape + (2,)
            v = self.expr(cshape, depth)
            if r == 0:
                ds = []
            else:
                ds = list(shape)
                if self.coin():
                    ds[self.randint(0, r - 1)] = -1
            boxed = self.pick((tup(ds) if ds else "()", "[" + ", ".join(map(str, ds)) + "]"))
            if op == "reshape" and self.coin():
                src = f"{self.pick(('', 'torch.'))}reshape({v.src}, {boxed})"
            else:
                dims = ", ".join(map(str, ds)) if ds and self.coin() else boxed
                src = f"{wrap(v, ATOM)}.{op}({dims})"
            return self.like(v, src, shape)
        if op == "flatten":
            if r == 1:
                cshape = self.shape_with_numel(n, min_rank=1)
                v = self.expr(cshape, depth)
                src = self.pick((f"{wrap(v, ATOM)}.flatten()", f"flatten({v.src})",
                                 f"torch.flatten({v.src})"))
                return self.like(v, src, shape)
            if r == 2:
                rest = self.shape_with_numel(shape[1], min_rank=1)
                cshape = (shape[0],) + rest
                v = self.expr(cshape, depth)
                src = self.pick((f"{wrap(v, ATOM)}.flatten(1)", f"flatten({v.src}, start_dim=1)"))
                return self.like(v, src, shape)
            return None
        if op == "squeeze":
            d = self.randint(0, r)
            cshape = shape[:d] + (1,) + shape[d:]
            v = self.expr(cshape, depth)
            if 1 not in shape and self.coin():
                src = self.pick((f"{wrap(v, ATOM)}.squeeze()", f"squeeze({v.src})"))
            else:
                dd = d - len(cshape) if self.rarely() else d
                src = self.pick((f"{wrap(v, ATOM)}.squeeze({dd})", f"squeeze({v.src}, {dd})",
                                 f"torch.squeeze({v.src}, dim={dd})"))
            return self.like(v, src, shape)
        if op == "unsqueeze":
            ones = [i for i, s in enumerate(shape) if s == 1]
            if not ones:
                return None
            d = self.pick(ones)
            cshape = shape[:d] + shape[d + 1:]
            v = self.expr(cshape, depth)
            forms = [f"{wrap(v, ATOM)}.unsqueeze({d})", f"unsqueeze({v.src}, {d})",
                     f"{wrap(v, ATOM)}.unsqueeze({d - r})"]
            if d == 0:
                forms.append(f"{wrap(v, ATOM)}[None]")
            if d == 1:
                forms.append(f"{wrap(v, ATOM)}[:, None]")
            return self.like(v, self.pick(forms), shape)
        if op in ("transpose", "t"):
            if r < 2:
                if r == 1 and op == "t":
                    v = self.expr(shape, depth)
                    return self.like(v, f"{wrap(v, ATOM)}.t()", shape)
                return None
            if op == "t" and r == 2:
                cshape = (shape[1], shape[0])
                v = self.expr(cshape, depth)
                src = self.pick((f"{wrap(v, ATOM)}.t()", f"t({v.src})", f"{wrap(v, ATOM)}.T",
                                 f"torch.t({v.src})"))
                return self.like(v, src, shape)
            i, j = sorted(self.draw(st.lists(st.integers(0, r - 1), min_size=2, max_size=2,
                                             unique=True)))
            cs = list(shape)
            cs[i], cs[j] = cs[j], cs[i]
            v = self.expr(tuple(cs), depth)
            ii, jj = (i - r, j - r) if self.rarely() else (i, j)
            src = self.pick((f"{wrap(v, ATOM)}.transpose({ii}, {jj})",
                             f"transpose({v.src}, {jj}, {ii})"))
            return self.like(v, src, shape)
        if op == "permute":
            if r < 2:
                return None
            p = self.draw(st.permutations(range(r)))
            cs = [0] * r
            for i in range(r):
                cs[p[i]] = shape[i]
            v = self.expr(tuple(cs), depth)
            ps = ", ".join(map(str, p))
            src = self.pick((f"{wrap(v, ATOM)}.permute({ps})", f"{wrap(v, ATOM)}.permute(({ps}))",
                             f"permute({v.src}, ({ps}))"))
            return self.like(v, src, shape)
        if op == "expand":
            if r == 0:
                return None
            drop = self.randint(0, r)
            cs = [s if self.coin() else 1 for s in shape[drop:]]
            if cs == list(shape):
                if not cs or cs[0] == 1:
                    return None
                cs[0] = 1
            v = self.expr(tuple(cs), depth)
            ds = list(shape)
            for i in range(drop, r):
                if cs[i - drop] == shape[i] and self.rarely():
                    ds[i] = -1
            txt = ", ".join(map(str, ds))
            src = self.pick((f"{wrap(v, ATOM)}.expand({txt})",
                             f"{wrap(v, ATOM)}.expand({tup(ds)})"))
            return self.like(v, src, shape, exact=v.exact)
        if op == "repeat":
            if r == 0:
                return None
            lead = self.randint(0, min(1, r - 1)) if r > 1 else 0
            cs = [self.pick(divisors(s)) for s in shape[lead:]]
            reps = list(shape[:lead]) + [s // c for s, c in zip(shape[lead:], cs)]
            v = self.expr(tuple(cs), depth)
            return self.like(v, f"{wrap(v, ATOM)}.repeat({', '.join(map(str, reps))})", shape)
        if op == "cat":
            cands = [i for i, s in enumerate(shape) if s >= 2]
            if not cands:
                return None
            d = self.pick(cands)
            cut = self.randint(1, shape[d] - 1)
            parts = [cut, shape[d] - cut]
            vs = [self.expr(shape[:d] + (p,) + shape[d + 1:], depth) for p in parts]
            lst = ", ".join(x.src for x in vs)
            dd = d - r if self.rarely() else d
            box = self.pick((f"[{lst}]", f"({lst})"))
            src = self.pick((f"cat({box}, dim={dd})", f"torch.cat({box}, {dd})"))
            lo, hi = hull(*vs)
            return Val(src, shape, lo, hi, all(x.exact for x in vs), ATOM,
                       promote(*(x.dtype for x in vs)), frozenset().union(*(x.deps for x in vs)))
        if op == "stack":
            if r == 0:
                return None
            d = self.randint(0, r - 1)
            cs = shape[:d] + shape[d + 1:]
            vs = [self.expr(cs, depth) for _ in range(shape[d])]
            lst = ", ".join(x.src for x in vs)
            src = self.pick((f"stack([{lst}], dim={d})", f"torch.stack(({lst},), {d})"))
            lo, hi = hull(*vs)
            return Val(src, shape, lo, hi, all(x.exact for x in vs), ATOM,
                       promote(*(x.dtype for x in vs)), frozenset().union(*(x.deps for x in vs)))
        v = self.expr(shape, depth)
        src = self.pick((f"{wrap(v, ATOM)}.clone()", f"clone({v.src})",
                         f"{wrap(v, ATOM)}.contiguous()"))
        return self.like(v, src, shape)

    def like(self, v: Val, src: str, shape, exact=None) -> Val:
        return Val(src, tuple(shape), v.lo, v.hi, v.exact if exact is None else exact, ATOM,
                   v.dtype, v.deps, v.alias)

    def shape_with_numel(self, n: int, min_rank: int = 0) -> tuple:
        rank = self.randint(max(min_rank, 0 if n == 1 else 1), 3)
        dims = [1] * rank
        if rank == 0:
            return ()
        m = n
        p = 2
        factors = []
        while m > 1:
            while m % p == 0:
                factors.append(p)
                m //= p
            p += 1
        for f in factors:
            dims[self.randint(0, rank - 1)] *= f
        return tuple(dims)

    def b_index(self, shape, depth):
        r = len(shape)
        mode = self.pick(("int", "slice", "mixed", "list", "step"))
        if mode == "list":
            if r == 0:
                return None
            k = self.randint(1, 4)
            idx = self.draw(st.lists(st.integers(0, k - 1), min_size=shape[0], max_size=shape[0]))
            v = self.expr((k,) + shape[1:], depth)
            return self.like(v, f"{wrap(v, ATOM)}[{idx}]", shape)
        if mode == "step":
            if r == 0:
                return None
            d = self.randint(0, r - 1)
            a = self.randint(0, 1)
            k = a + 2 * shape[d] - self.randint(0, 1)
            cs = shape[:d] + (k,) + shape[d + 1:]
            v = self.expr(cs, depth)
            subs = [":"] * d + [f"{a if a else ''}::2"]
            return self.like(v, f"{wrap(v, ATOM)}[{', '.join(subs)}]", shape, exact=v.exact)
        n_int = {"int": 1, "slice": 0, "mixed": self.randint(1, 2)}[mode]
        if r + n_int > 4:
            n_int = 1
        # the child's dims: the result's dims, each ':' or a slice, with n_int ints inserted
        entries = []  # (text, child size)
        for s in shape:
            if mode != "int" and self.coin():
                k = s + self.randint(0, 2)
                a = self.randint(0, k - s)
                b = a + s
                neg = self.rarely()
                at = "" if a == 0 and self.coin() else str(a - k if neg else a)
                bt = "" if b == k and self.coin() else str(b - k if neg and b != k else b)
                entries.append((f"{at}:{bt}", k))
            else:
                entries.append((":", s))
        for _ in range(n_int):
            k = self.randint(1, 4)
            i = self.randint(-k, k - 1)
            if self.fault():  # an index out of bounds
                i = self.pick((k, -k - 1))
            pos = self.randint(0, len(entries))
            entries.insert(pos, (str(i), k))
        if all(t == ":" for t, _ in entries):
            return None
        cs = tuple(k for _, k in entries)
        v = self.expr(cs, depth)
        texts = [t for t, _ in entries]
        full = len(texts)
        while texts and texts[-1] == ":":
            texts.pop()
        if len(texts) == full > 1 and all(t == ":" for t in texts[:-1]) and self.coin():
            texts = ["...", texts[-1]]
        return self.like(v, f"{wrap(v, ATOM)}[{', '.join(texts)}]", shape)


# ------------------------------------------------------------------------------- programs


@st.composite
def expression_programs(draw) -> Program:
    """Leaves, ``y = EXPR``, then a backward through y; checks y and every leaf."""
    g = Gen(draw)
    g.inject = g.rarely() or g.rarely()
    shape = g.shape()
    depth = g.randint(1, 4)
    y = g.expr(shape, depth, top=True)
    g.stmts.append(f"y = {y.src}")
    if y.deps and y.dtype in "fd":
        how = g.pick(("gradient", "sum", "mulsum", "plain"))
        if how == "plain" and shape != ():
            how = "sum"
        if how == "plain":
            g.stmts.append("y.backward()")
        elif how == "sum":
            g.stmts.append(g.pick(("y.sum().backward()", "sum(y).backward()")))
        else:
            vals = draw(st.lists(VALUES, min_size=y.numel, max_size=y.numel))
            gt = f"tensor({nest(vals, shape)}{MARK})"
            if how == "gradient":
                g.stmts.append(g.pick((f"y.backward({gt})", f"y.backward(gradient={gt})")))
            else:
                g.stmts.append(f"(y * {gt}).sum().backward()")
    checks = ["y", "y.shape", "y.size()", "y.dim()", "y.numel()", "y.requires_grad",
              "y.item()" if shape == () else "y.tolist()"]
    if y.exact and y.dtype != "b":  # ties are the same bits on both sides
        checks.append("argmax(y)")
        if shape:
            checks.append(f"y.argmin(dim={g.randint(-len(shape), len(shape) - 1)})")
    checks += [n for n in g.env]
    return Program(g.stmts, checks, "expr")


class ScriptGen(Gen):
    """Short scripts: intermediates, in-place ops, index assignment, no_grad, detach,
    retain_grad, backward with retain_graph, autograd.grad with create_graph."""

    def __init__(self, draw) -> None:
        super().__init__(draw, budget=40)
        self.nh = itertools.count()
        self.has_grad: set = set()  # leaves whose .grad is set

    def new_name(self, prefix="h") -> str:
        return f"{prefix}{next(self.nh)}"

    def small_expr(self, shape) -> Val:
        self.budget = max(self.budget, 8)
        return self.expr(shape, self.randint(0, 2))

    def widen(self, target: str, v: Val) -> None:
        """After an in-place write to ``target``: it and every name sharing its storage."""
        root = self.env[target].alias or target
        for name, old in list(self.env.items()):
            if name == target or (old.alias or name) == root:
                lo, hi = min(old.lo, v.lo), max(old.hi, v.hi)
                self.env[name] = replace(old, lo=lo, hi=hi, exact=old.exact and v.exact,
                                         deps=old.deps | v.deps if old.deps or name == target
                                         else old.deps)

    def step(self) -> None:
        kind = self.pick(("assign", "assign", "inplace", "setitem", "nograd", "detach",
                          "retain", "backward", "grad", "zero_grad", "assign", "backward",
                          "functional"))
        getattr(self, "s_" + kind)()

    def intermediates(self):
        return [n for n, v in self.env.items() if not n.startswith("x")]

    def s_assign(self):
        shape = self.shape()
        v = self.expr(shape, self.randint(1, 3), top=True)
        name = self.new_name()
        self.stmts.append(f"{name} = {v.src}")
        deps = v.deps | {name} if v.deps else frozenset()
        self.env[name] = replace(v, src=name, prec=ATOM, deps=deps,
                                 alias=v.alias if v.alias else None)

    def s_inplace(self):
        names = self.intermediates()
        if not names or self.rarely():
            names = list(self.env)
        if not names:
            return self.s_assign()
        ints = [n for n in names if self.env[n].dtype not in "fd"]
        if ints and len(ints) < len(names) and not self.rarely():
            names = [n for n in names if n not in ints]
        t = self.pick(names)
        tv = self.env[t]
        op = self.pick(("add_", "sub_", "mul_", "div_", "+=", "-=", "*=", "/=", "zero_",
                        "fill_", "mul_c"))
        if op in ("zero_", "fill_"):
            c = 0.0 if op == "zero_" else self.pick((0.5, 2.0, -1.0))
            self.stmts.append(f"{t}.zero_()" if op == "zero_" else f"{t}.fill_({num(c)})")
            self.widen(t, Val("", tv.shape, c, c))
            return
        if op == "mul_c":
            c = self.pick((2.0, 0.5, -1.0, 3))
            self.stmts.append(self.pick((f"{t}.mul_({num(c)})", f"{t} *= {num(c)}")))
            lo, hi = sorted((tv.lo * c, tv.hi * c))
            self.widen(t, Val("", tv.shape, lo, hi))
            return
        (sv,) = self.broadcast_shapes(tv.shape, 1) if self.coin() else [tv.shape]
        if self.rarely() and self.coin():  # a shape that broadcasts the other way: an error
            sv = (2,) + tuple(tv.shape)
        v = self.small_expr(sv)
        if op in ("div_", "/="):
            v = self.fit(v, "pos2")
        if op in ("mul_", "*="):
            v = self.fit(v, 3.0)
        if op.endswith("_"):
            self.stmts.append(f"{t}.{op}({v.src})")
        else:
            self.stmts.append(f"{t} {op} {v.src}")
        base = op[0] if not op.endswith("_") else {"add_": "+", "sub_": "-", "mul_": "*",
                                                   "div_": "/"}[op]
        a, b = tv, v
        if base == "+":
            c = [a.lo + b.lo, a.hi + b.hi]
        elif base == "-":
            c = [a.lo - b.hi, a.hi - b.lo]
        elif base == "*":
            c = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi]
        else:
            c = [a.lo / b.lo, a.lo / b.hi, a.hi / b.lo, a.hi / b.hi]
        self.widen(t, Val("", tv.shape, min(c), max(c), a.exact and b.exact, deps=v.deps))

    def s_setitem(self):
        names = self.intermediates() or list(self.env)
        names = [n for n in names if self.env[n].shape]
        if not names:
            return self.s_assign()
        t = self.pick(names)
        tv = self.env[t]
        i = self.randint(-tv.shape[0], tv.shape[0] - 1)
        form = self.pick(("int", "slice", "col"))
        if form == "int" or len(tv.shape) == 1 and form == "col":
            sub, region = str(i), tv.shape[1:]
        elif form == "slice":
            a = self.randint(0, tv.shape[0] - 1)
            sub, region = f"{a}:", (tv.shape[0] - a,) + tv.shape[1:]
        else:
            j = self.randint(0, tv.shape[1] - 1)
            sub, region = f":, {j}", (tv.shape[0],) + tv.shape[2:]
        if self.coin():
            c = self.pick((0.0, 1.5, -2.0))
            self.stmts.append(f"{t}[{sub}] = {num(c)}")
            self.widen(t, Val("", tv.shape, c, c))
            return
        (sv,) = self.broadcast_shapes(region, 1)
        v = self.small_expr(sv)
        self.stmts.append(f"{t}[{sub}] = {v.src}")
        self.widen(t, v)

    def s_nograd(self):
        ctx = self.pick(("no_grad()", "torch.no_grad()", "set_grad_enabled(False)"))
        leaves = [n for n in self.has_grad if n in self.env]
        if leaves and self.coin():
            x = self.pick(sorted(leaves))
            lr = self.pick((0.1, 0.01))
            stmt = self.pick((f"{x} -= {lr} * {x}.grad", f"{x}.sub_({lr} * {x}.grad)",
                              f"{x}.add_({x}.grad, alpha=-{lr})"))
            self.stmts.append(f"with {ctx}:\n    {stmt}")
            v = self.env[x]
            w = 10 * lr * max(1.0, v.mag)  # a guess: the update is small
            self.env[x] = replace(v, lo=v.lo - w, hi=v.hi + w, exact=False)
            return
        shape = self.shape()
        v = self.expr(shape, self.randint(1, 2))
        name = self.new_name()
        if self.rarely():  # grad mode back on inside
            inner = self.pick(("enable_grad()", "set_grad_enabled(True)"))
            self.stmts.append(f"with {ctx}:\n    with {inner}:\n        {name} = {v.src}")
            deps = v.deps | {name} if v.deps else frozenset()
        else:
            self.stmts.append(f"with {ctx}:\n    {name} = {v.src}")
            deps = frozenset()
        self.env[name] = replace(v, src=name, prec=ATOM, deps=deps, alias=v.alias)

    def s_functional(self):
        """autograd.functional.jacobian / hessian of a lambda over one input."""
        xs = [n for n, v in self.env.items() if n.startswith("x") and v.dtype in "fd"
              and v.numel <= 16]
        x = self.pick(xs) if xs and self.coin() else self.new_leaf(self.shape(2), kind="fg").src
        xv = self.env[x]
        outer_env = self.env
        self.env = {"a": replace(xv, src="a", alias=None, deps=frozenset({"a"}))}
        which = self.pick(("jacobian", "hessian"))
        shape = () if which == "hessian" else self.pick(((), xv.shape, self.shape(1)))
        self.budget = max(self.budget, 10)
        body = self.expr(shape, self.randint(1, 3), top=True)
        for n, v in self.env.items():  # leaves declared while drawing the body
            if n != "a":
                outer_env[n] = v
        self.env = outer_env
        name = self.new_name("j")
        fn = self.pick(("torch.autograd.functional", "autograd.functional"))
        self.stmts.append(f"{name} = {fn}.{which}(lambda a: {body.src}, {x})")
        out = (xv.shape + xv.shape) if which == "hessian" else (shape + xv.shape)
        self.env[name] = Val(name, out, -LIMIT, LIMIT, False, ATOM, xv.dtype, frozenset())

    def s_detach(self):
        names = self.intermediates() or list(self.env)
        if not names:
            return self.s_assign()
        t = self.pick(names)
        if self.rarely() and t.startswith("h"):  # in place: t itself stops requiring grad
            self.stmts.append(f"{t}.detach_()")
            self.env[t] = replace(self.env[t], deps=frozenset())
            return
        name = self.new_name("d")
        self.stmts.append(f"{name} = {t}.{self.pick(('detach()', 'detach()', 'data'))}")
        self.env[name] = replace(self.env[t], src=name, deps=frozenset(),
                                 alias=self.env[t].alias or t)

    def s_retain(self):
        names = [n for n in self.intermediates() if self.env[n].deps]
        if not names:
            return self.s_assign()
        self.stmts.append(f"{self.pick(names)}.retain_grad()")

    def target(self) -> Val:
        """A scalar built from the names so far (or a fresh one)."""
        names = [n for n, v in self.env.items() if v.deps and v.dtype in "fd"]
        if names and self.coin():
            v = self.ref(self.pick(names))
            if v.shape:
                op = self.pick(("sum", "mean"))
                v = Val(f"{v.src}.{op}()", (), v.lo, v.hi, False, ATOM, v.dtype, v.deps)
            return v
        return self.expr((), self.randint(1, 3))

    def s_backward(self):
        for _ in range(3):
            out = self.target()
            if out.deps and out.dtype in "fd":
                break
        else:
            if not self.rarely():
                return self.s_assign()
        name = self.new_name("o")
        self.stmts.append(f"{name} = {out.src}")
        self.env[name] = replace(out, src=name, deps=out.deps | {name} if out.deps else out.deps)
        retain = self.pick(("", "", "retain_graph=True"))
        self.stmts.append(f"{name}.backward({retain})")
        self.has_grad |= {n for n in out.deps if n.startswith("x")}

    def s_grad(self):
        for _ in range(3):
            out = self.target()
            if out.deps and out.dtype in "fd":
                break
        ins = sorted(n for n in out.deps if n in self.env)
        if not ins:
            return self.s_backward()
        k = self.randint(1, min(2, len(ins)))
        chosen = self.draw(st.lists(st.sampled_from(ins), min_size=k, max_size=k, unique=True))
        name = self.new_name("o")
        self.stmts.append(f"{name} = {out.src}")
        self.env[name] = replace(out, src=name, deps=out.deps | {name})
        kw = []
        create = self.coin()
        if create:
            kw.append("create_graph=True")
        if self.coin():
            kw.append("retain_graph=True")
        gnames = [self.new_name("g") for _ in chosen]
        lhs = ", ".join(gnames) + ("," if len(gnames) == 1 else "")
        ins_txt = chosen[0] if len(chosen) == 1 and self.coin() else "[" + ", ".join(chosen) + "]"
        extra = (", " + ", ".join(kw)) if kw else ""
        fn = self.pick(("autograd.grad", "torch.autograd.grad"))
        self.stmts.append(f"{lhs} = {fn}({name}, {ins_txt}{extra})")
        for gname, x in zip(gnames, chosen):
            xv = self.env[x]
            m = LIMIT
            self.env[gname] = Val(gname, xv.shape, -m, m, False, ATOM, xv.dtype,
                                  (out.deps | {gname}) if create else frozenset(), None)

    def s_zero_grad(self):
        leaves = sorted(n for n in self.has_grad if n in self.env)
        if not leaves:
            return self.s_backward()
        x = self.pick(leaves)
        if self.coin():
            self.stmts.append(f"{x}.grad.zero_()")
        else:
            self.stmts.append(f"{x}.grad = None")
            self.has_grad.discard(x)


@st.composite
def script_programs(draw) -> Program:
    g = ScriptGen(draw)
    g.s_assign()
    for _ in range(g.randint(1, 6)):
        g.step()
    if g.coin():
        g.s_backward()
    checks = list(g.env)
    return Program(g.stmts, checks, "script")


def _lit(x) -> str:
    """A number as source text; nan and inf through torch's names."""
    if isinstance(x, bool):
        return repr(x)
    if isinstance(x, float):
        if math.isnan(x):
            return "nan"
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
    return repr(x)


@st.composite
def printing_programs(draw) -> Program:
    """Tensors whose repr exercises the printer: integer, fixed and scientific modes,
    nan/inf, -0., denormals, empty tensors, summarization, dtype and grad suffixes."""
    g = Gen(draw)
    dtype = g.pick(("f", "f", "d", "i", "b"))
    kind = g.pick(("literal", "literal", "big"))
    rg = dtype in "fd" and g.coin()
    if kind == "big":
        a, b = g.randint(1, 40), g.randint(26, 60)
        n = a * b
        if dtype == "b":
            base = f"(arange({n}) % 3 == 0)"
        elif dtype == "i":
            base = f"arange({n})"
        else:
            dt = ", dtype=torch.float64" if dtype == "d" else MARK
            scale = g.pick((1, 0.001, 1000, 1e-7, 1e9, 0.5, -2.25))
            base = g.pick((f"arange({n}.0{dt})", f"linspace(-3, 5, {n}{dt})",
                           f"ones({n}{dt})")) + f" * {_lit(scale)}"
        shape = (a, b) if g.coin() else (n,)
        src = f"({base}).reshape({tup(shape)})"
        if rg:
            src += ".requires_grad_()"
        g.stmts.append(f"x0 = {src}")
    else:
        rank = g.randint(0, 3)
        shape = tuple(g.randint(0 if g.rarely() else 1, 5) for _ in range(rank))
        if shape and g.coin():  # rows wide enough to wrap at 80 columns
            shape = shape[:-1] + (g.randint(6, 14),)
        n = math.prod(shape)
        if dtype == "b":
            elems = st.booleans()
        elif dtype == "i":
            elems = st.one_of(INTS, st.integers(-10 ** 12, 10 ** 12))
        else:
            width = 32 if dtype == "f" else 64
            scale = 10.0 ** g.randint(-12, 12)
            elems = st.one_of(
                VALUES.map(lambda v: v * scale),
                st.floats(width=width, allow_nan=False, allow_infinity=False),
                st.sampled_from([math.nan, math.inf, -math.inf, -0.0, 1e-45 if width == 32
                                 else 5e-324, 123456789.0, 0.1]),
                st.integers(-1000, 1000).map(float),
            )
        vals = draw(st.lists(elems, min_size=n, max_size=n))
        dt = {"f": MARK, "d": ", dtype=torch.float64", "i": ", dtype=torch.int64",
              "b": ", dtype=torch.bool"}[dtype]
        if n == 0:
            src = f"zeros({tup(shape) if shape != (0,) else '0'}{dt})"
            if rg:
                src += ".requires_grad_()"
        else:
            lit = nest([_lit(v) for v in vals], shape)
            src = f"tensor({lit}{dt}{', requires_grad=True' if rg else ''})"
        g.stmts.append(f"x0 = {src}")
    op = g.pick(("", "", " * 1", "-", ".clone()", ".abs()")) if dtype in "fdi" else ""
    if op == "-":
        g.stmts.append("y = -x0")
    else:
        g.stmts.append(f"y = x0{op}")
    return Program(g.stmts, ["y", "x0", "y.shape", "y.dtype"], "print")
