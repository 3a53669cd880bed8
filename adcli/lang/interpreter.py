"""Run adcli programs: compile the syntax tree into closures and execute them, sandboxed.

Compilation turns each node into a small Python closure once, so loops run at the speed
of the engine rather than of a tree walk. Recursion is bounded: the parser caps the
nesting depth of the tree, and lambda calls are capped here. Every step counts against
the session's ``Limits``. Names resolve through ``names.GLOBALS`` and attributes through
the accessor tables in ``names``: user text is only ever a dictionary key.
"""

from __future__ import annotations

import itertools
import operator
import sys
import time

from adcli import limits as _limits_mod
from adcli.diagnostics import format_diagnostic, source_lines
from adcli.engine.tensor import RemovableHandle, Tensor, graph_clock
from adcli.errors import (
    AdcliError,
    AdcliSyntaxError,
    LimitError,
    TorchAttributeError,
    TorchNameError,
    TorchTypeError,
    TorchValueError,
    adcli_error_for,
)
from adcli.lang import names as N
from adcli.lang.ast import Node
from adcli.lang.operators import (
    BINOPS,
    COMPARE,
    INPLACE,
    NUMPY,
    binop,
    compare,
    numpy_getitem,
    python_binop,
)
from adcli.lang.parser import parse
from adcli.limits import Limits

_MAX_LAMBDA_DEPTH = 32


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


class InternalError(Exception):
    """A bug in adcli itself (not the user's mistake), carrying the original exception."""

    def __init__(self, original: BaseException, pos: tuple[int, int] | None) -> None:
        super().__init__(f"{type(original).__name__}: {original}")
        self.original = original
        self.pos = pos


def _locate(exc: BaseException, pos) -> BaseException:
    """Turn an exception raised at ``pos`` into an AdcliError with a position."""
    if isinstance(exc, AdcliError):
        if exc.pos is None:
            exc.pos = pos
        return exc
    if isinstance(exc, (_Break, _Continue, InternalError)):
        return exc
    if isinstance(exc, RecursionError | MemoryError):
        what = "the computation nests too deeply (recursion)" if isinstance(
            exc, RecursionError) else "out of memory"
        err = LimitError(what, pos=pos)
        err.original = exc  # for tests: a bound that held only because Python gave out
        return err
    wrapped = adcli_error_for(exc)
    if wrapped is not None:
        wrapped.pos = pos
        return wrapped
    return InternalError(exc, pos)


class Scope(dict):
    """Variables of one scope; a miss falls through to the enclosing scope, then globals."""

    __slots__ = ("parent", "globals")

    def __init__(self, parent: Scope | None, globals_: dict) -> None:
        super().__init__()
        self.parent = parent
        self.globals = globals_

    def __missing__(self, key: str):
        if self.parent is not None:
            return self.parent[key]
        try:
            return self.globals[key]
        except KeyError:
            raise TorchNameError(_name_error(key, self)) from None


def _name_error(key: str, scope: Scope) -> str:
    import difflib

    known = list(scope) + list(scope.globals)
    close = difflib.get_close_matches(key, known, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"name '{key}' is not defined{hint}"


class Lambda:
    """A ``lambda`` value: parameters, a compiled body and the scope it closes over."""

    __slots__ = ("params", "body", "scope", "session")

    def __init__(self, params, body, scope, session) -> None:
        self.params = params
        self.body = body
        self.scope = scope
        self.session = session

    def __call__(self, *args, **kwargs):
        params = self.params
        if len(args) > len(params):
            raise TorchTypeError(
                f"<lambda>() takes {len(params)} positional argument"
                f"{'s' if len(params) != 1 else ''} but {len(args)} were given"
            )
        local = Scope(self.scope, self.scope.globals)
        for name, value in zip(params, args):
            local[name] = value
        for name, value in kwargs.items():
            if name not in params or name in local:
                raise TorchTypeError(f"<lambda>() got an unexpected keyword argument '{name}'")
            local[name] = value
        missing = [p for p in params if p not in local]
        if missing:
            raise TorchTypeError(f"<lambda>() missing argument '{missing[0]}'")
        sess = self.session
        sess.steps += 1
        if sess.steps > sess.max_steps or not sess.steps & 63:
            sess.check_bounds(None)
        sess.call_depth += 1
        try:
            if sess.call_depth > _MAX_LAMBDA_DEPTH:
                raise LimitError(f"lambda calls nest deeper than {_MAX_LAMBDA_DEPTH}")
            return self.body(local)
        finally:
            sess.call_depth -= 1

    def __repr__(self) -> str:
        return f"<function <lambda> at 0x{id(self):x}>"


def _type_name(value) -> str:
    if isinstance(value, Tensor):
        return "Tensor"
    return type(value).__name__


def _grad_fn_types():
    from adcli.engine import tensor as T

    return tuple(getattr(T, n) for n in ("Node", "GradFn", "Function") if hasattr(T, n))


_GRAD_FN_TYPES: tuple = ()


def get_attribute(obj, name: str):
    """``obj.name`` for the types and names that the language allows."""
    if isinstance(obj, Tensor):
        acc = N.TENSOR_ACCESSORS.get(name)
    elif isinstance(obj, N.Namespace):
        try:
            return obj.members[name]
        except KeyError:
            raise TorchAttributeError(
                f"module '{obj.name}' has no attribute '{name}' in adcli "
                "(see docs/functions.md for what is supported)"
            ) from None
    elif isinstance(obj, list):
        acc = N.LIST_ACCESSORS.get(name)
    elif isinstance(obj, RemovableHandle):
        acc = N.HANDLE_ACCESSORS.get(name)
    elif isinstance(obj, tuple):
        acc = N.RETURN_TYPE_ACCESSORS.get(name) if hasattr(obj, "_fields") else None
        if acc is None:
            acc = N.TUPLE_ACCESSORS.get(name)
    else:
        global _GRAD_FN_TYPES
        if not _GRAD_FN_TYPES:
            _GRAD_FN_TYPES = _grad_fn_types()
        acc = N.GRAD_FN_ACCESSORS.get(name) if isinstance(obj, _GRAD_FN_TYPES) else None
    if acc is None:
        raise TorchAttributeError(f"'{_type_name(obj)}' object has no attribute '{name}'")
    return acc(obj)


def _set_attribute(obj, name: str, value) -> None:
    setter = N.TENSOR_SETTABLE.get(name) if isinstance(obj, Tensor) else None
    if setter is None:
        raise TorchAttributeError(
            f"cannot set attribute '{name}' of a '{_type_name(obj)}' "
            "(only .requires_grad, .grad and .data of a tensor can be set)"
        )
    setter(obj, value)


def _set_item(obj, index, value) -> None:
    if isinstance(obj, (Tensor, list)):
        obj[index] = value
        return
    raise TorchTypeError(f"'{_type_name(obj)}' object does not support item assignment")


def _get_item(obj, index):
    if isinstance(obj, (Tensor, list, tuple, str, range)):
        return obj[index]
    if isinstance(obj, NUMPY):
        return numpy_getitem(obj, index)
    raise TorchTypeError(f"'{_type_name(obj)}' object is not subscriptable")


def _grad_mode_types():
    from adcli.engine import api

    out = []
    for n in ("no_grad", "enable_grad", "set_grad_enabled"):
        obj = getattr(api, n, None)
        if isinstance(obj, type):
            out.append(obj)
    return tuple(out)


# ---- the compiler -----------------------------------------------------------------------
class _Compiler:
    """Turns syntax-tree nodes into closures ``fn(scope) -> value`` for one session."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.loop_depth = 0

    # expressions -------------------------------------------------------------------------
    def expr(self, node: Node):
        return getattr(self, "e_" + node.kind)(node, *node.fields)

    def e_const(self, node, value):
        return lambda scope: value

    def e_name(self, node, name):
        pos = node.pos

        def ev(scope):
            try:
                return scope[name]
            except AdcliError as e:
                if e.pos is None:
                    e.pos = pos
                raise

        return ev

    def e_tuple(self, node, items):
        fns = [self.expr(i) for i in items]
        return lambda scope: tuple([f(scope) for f in fns])

    def e_list(self, node, items):
        fns = [self.expr(i) for i in items]
        return lambda scope: [f(scope) for f in fns]

    def e_binop(self, node, left, sym, right):
        lf, rf = self.expr(left), self.expr(right)
        fn = BINOPS[sym]
        pos = node.pos

        def ev(scope):
            a = lf(scope)
            b = rf(scope)
            try:
                # tensor-tensor and tensor-number go straight to the engine, which checks
                # its broadcasts; everything else goes through operators.binop's checks
                ca, cb = a.__class__, b.__class__
                if ca is Tensor:
                    if cb is Tensor or cb is float or cb is int:
                        return fn(a, b)
                elif ca is float or ca is int:
                    if cb is Tensor:
                        return fn(a, b)
                    if cb is float or cb is int:  # numbers: only the integer-bits bound
                        return python_binop(sym, a, b, fn)
                return binop(sym, a, b, fn)
            except Exception as e:
                raise _locate(e, pos) from None

        return ev

    def e_unary(self, node, sym, operand):
        f = self.expr(operand)
        fn = operator.neg if sym == "-" else operator.pos
        pos = node.pos

        def ev(scope):
            v = f(scope)
            try:
                if not isinstance(v, (Tensor, int, float)):
                    raise TorchTypeError(f"bad operand type for unary {sym}: '{_type_name(v)}'")
                return fn(v)
            except Exception as e:
                raise _locate(e, pos) from None

        return ev

    def e_not(self, node, operand):
        f = self.expr(operand)
        pos = node.pos

        def ev(scope):
            v = f(scope)
            try:
                return not v
            except Exception as e:
                raise _locate(e, pos) from None

        return ev

    def _truth(self, node):
        f = self.expr(node)
        pos = node.pos

        def ev(scope):
            v = f(scope)
            try:
                return bool(v)
            except Exception as e:
                raise _locate(e, pos) from None

        return ev

    def _short_circuit(self, items, stop_if_true: bool):
        """``and`` (stop at the first false value) or ``or`` (at the first true one)."""
        fns = [(self.expr(i), i.pos) for i in items]

        def ev(scope):
            v = None
            for f, pos in fns:
                v = f(scope)
                try:
                    if bool(v) is stop_if_true:
                        return v
                except Exception as e:
                    raise _locate(e, pos) from None
            return v

        return ev

    def e_and(self, node, items):
        return self._short_circuit(items, stop_if_true=False)

    def e_or(self, node, items):
        return self._short_circuit(items, stop_if_true=True)

    def e_compare(self, node, first, ops):
        ff = self.expr(first)
        steps = [(COMPARE[op], self.expr(rhs)) for op, rhs in ops]
        pos = node.pos

        def ev(scope):
            a = ff(scope)
            result = True
            try:
                for i, (fn, rf) in enumerate(steps):
                    b = rf(scope)
                    ca, cb = a.__class__, b.__class__
                    if ca is Tensor or ((ca is int or ca is float) and (
                            cb is int or cb is float or cb is Tensor)):
                        result = fn(a, b)  # the engine checks a tensor's broadcast
                    else:
                        result = compare(fn, a, b)
                    if i + 1 < len(steps) and not result:
                        return result
                    a = b
            except Exception as e:
                raise _locate(e, pos) from None
            return result

        return ev

    def e_ternary(self, node, body, test, orelse):
        bf, tf, of = self.expr(body), self._truth(test), self.expr(orelse)
        return lambda scope: bf(scope) if tf(scope) else of(scope)

    def e_lambda(self, node, params, body):
        bf = self.expr(body)
        session = self.session
        return lambda scope: Lambda(params, bf, scope, session)

    def e_call(self, node, func, args, keywords):
        ff = self.expr(func)
        afs = [self.expr(a) for a in args]
        kfs = [(k, self.expr(v)) for k, v in keywords]
        pos = node.pos

        def ev(scope):
            fn = ff(scope)
            argv = [f(scope) for f in afs]
            kwargs = {k: f(scope) for k, f in kfs}
            if not callable(fn) or isinstance(fn, (Tensor, type(None))):
                raise TorchTypeError(f"'{_type_name(fn)}' object is not callable", pos=pos)
            try:
                return fn(*argv, **kwargs)
            except Exception as e:
                raise _locate(e, pos) from None

        return ev

    def e_getattr(self, node, obj, name):
        of = self.expr(obj)
        pos = node.pos

        def ev(scope):
            o = of(scope)
            try:
                return get_attribute(o, name)
            except Exception as e:
                raise _locate(e, pos) from None

        return ev

    def e_getitem(self, node, obj, index):
        of, xf = self.expr(obj), self.expr(index)
        pos = node.pos

        def ev(scope):
            o = of(scope)
            i = xf(scope)
            try:
                return _get_item(o, i)
            except Exception as e:
                raise _locate(e, pos) from None

        return ev

    def e_slice(self, node, lo, hi, step):
        fs = [self.expr(x) if x is not None else None for x in (lo, hi, step)]
        return lambda scope: slice(*[f(scope) if f is not None else None for f in fs])

    def e_kwarg(self, node, name, value):  # pragma: no cover - consumed by e_call
        raise AdcliSyntaxError("keyword argument outside a call", pos=node.pos)

    # statements ---------------------------------------------------------------------------
    def stmt(self, node: Node):
        fn = getattr(self, "s_" + node.kind)(node, *node.fields)
        session = self.session
        pos = node.pos

        def run(scope):
            session.steps += 1
            if session.steps > session.max_steps or not session.steps & 63:
                session.check_bounds(pos)
            try:
                fn(scope)
            except (_Break, _Continue):
                raise
            except Exception as e:
                raise _locate(e, pos) from None

        return run

    def block(self, stmts):
        fns = [self.stmt(s) for s in stmts]

        def run(scope):
            for f in fns:
                f(scope)

        return run

    def s_block(self, node, stmts):
        return self.block(stmts)

    def s_expr(self, node, value):
        f = self.expr(value)
        session = self.session

        def run(scope):
            v = f(scope)
            session.last_value = v
            if v is not None and session.display:
                session.out(repr(v) + "\n")

        return run

    def s_pass(self, node):
        return lambda scope: None

    def s_import(self, node, alias):
        if alias is None:
            return lambda scope: None
        value = N.GLOBALS[alias]

        def run(scope):
            scope[alias] = value

        return run

    def s_break(self, node):
        if not self.loop_depth:
            raise AdcliSyntaxError("'break' outside loop", pos=node.pos)

        def run(scope):
            raise _Break

        return run

    def s_continue(self, node):
        if not self.loop_depth:
            raise AdcliSyntaxError("'continue' not properly in loop", pos=node.pos)

        def run(scope):
            raise _Continue

        return run

    def target(self, node: Node):
        """A closure ``assign(scope, value)`` for an assignment target."""
        kind = node.kind
        pos = node.pos
        if kind == "name":
            name = node.fields[0]
            if name in ("True", "False", "None"):
                raise AdcliSyntaxError(f"cannot assign to {name}", pos=pos)

            def assign(scope, value):
                scope[name] = value

            return assign
        if kind in ("tuple", "list"):
            subs = [self.target(t) for t in node.fields[0]]
            n = len(subs)

            def assign(scope, value):
                if isinstance(value, (list, tuple)):
                    items = value
                else:  # at most one item more than the targets: never a whole iterable
                    try:
                        items = list(itertools.islice(iter(value), n + 1))
                    except Exception as e:
                        raise _locate(e, pos) from None
                if len(items) > n:
                    raise TorchValueError(f"too many values to unpack (expected {n})", pos=pos)
                if len(items) < n:
                    raise TorchValueError(
                        f"not enough values to unpack (expected {n}, got {len(items)})", pos=pos
                    )
                for sub, item in zip(subs, items):
                    sub(scope, item)

            return assign
        if kind == "getitem":
            of, xf = self.expr(node.fields[0]), self.expr(node.fields[1])

            def assign(scope, value):
                o, i = of(scope), xf(scope)
                try:
                    _set_item(o, i, value)
                except Exception as e:
                    raise _locate(e, pos) from None

            return assign
        if kind == "getattr":
            of, name = self.expr(node.fields[0]), node.fields[1]

            def assign(scope, value):
                o = of(scope)
                try:
                    _set_attribute(o, name, value)
                except Exception as e:
                    raise _locate(e, pos) from None

            return assign
        raise AdcliSyntaxError("cannot assign to this expression", pos=pos)  # pragma: no cover

    def s_assign(self, node, targets, value):
        vf = self.expr(value)
        tfs = [self.target(t) for t in targets]

        def run(scope):
            v = vf(scope)
            for t in tfs:
                t(scope, v)

        return run

    def s_augassign(self, node, target, sym, value):
        read = self.expr(target)
        write = self.target(target)
        vf = self.expr(value)
        fn = INPLACE[sym]
        plain = BINOPS[sym]
        pos = node.pos

        def run(scope):
            current = read(scope)
            v = vf(scope)
            try:
                if current.__class__ is Tensor:
                    result = fn(current, v)  # in place: the engine checks the broadcast
                else:
                    result = binop(sym, current, v, plain)
            except Exception as e:
                raise _locate(e, pos) from None
            write(scope, result)

        return run

    def s_if(self, node, branches, orelse):
        compiled = [(self._truth(test), self.block(body.fields[0])) for test, body in branches]
        else_fn = self.block(orelse.fields[0]) if orelse is not None else None

        def run(scope):
            for test, body in compiled:
                if test(scope):
                    body(scope)
                    return
            if else_fn is not None:
                else_fn(scope)

        return run

    def s_while(self, node, test, body):
        tf = self._truth(test)
        self.loop_depth += 1
        bf = self.block(body.fields[0])
        self.loop_depth -= 1
        session = self.session
        pos = node.pos

        def run(scope):
            while tf(scope):
                session.steps += 1
                if session.steps > session.max_steps or not session.steps & 63:
                    session.check_bounds(pos)
                try:
                    bf(scope)
                except _Break:
                    break
                except _Continue:
                    continue

        return run

    def s_for(self, node, target, iterable, body):
        tf = self.target(target)
        itf = self.expr(iterable)
        self.loop_depth += 1
        bf = self.block(body.fields[0])
        self.loop_depth -= 1
        session = self.session
        pos = iterable.pos

        def run(scope):
            seq = itf(scope)
            try:
                it = iter(seq)
            except Exception as e:
                raise _locate(e, pos) from None
            while True:
                try:
                    item = next(it)
                except StopIteration:
                    break
                except Exception as e:
                    raise _locate(e, pos) from None
                session.steps += 1
                if session.steps > session.max_steps or not session.steps & 63:
                    session.check_bounds(pos)
                tf(scope, item)
                try:
                    bf(scope)
                except _Break:
                    break
                except _Continue:
                    continue

        return run

    def s_with(self, node, ctx, body):
        cf = self.expr(ctx)
        bf = self.block(body.fields[0])
        pos = ctx.pos

        def run(scope):
            manager = cf(scope)
            if not isinstance(manager, _grad_mode_types()):
                raise TorchTypeError(
                    "`with` takes only no_grad(), enable_grad() or set_grad_enabled(flag)",
                    pos=pos,
                )
            manager.__enter__()
            try:
                bf(scope)
            finally:
                manager.__exit__(None, None, None)

        return run


# ---- sessions ---------------------------------------------------------------------------
class CellReport:
    """What ``run_cells`` did: how many cells ran, failed, or hit an internal error."""

    __slots__ = ("cells", "failed", "internal", "errors")

    def __init__(self) -> None:
        self.cells = 0
        self.failed = 0
        self.internal = 0
        self.errors: list[AdcliError] = []


def split_cells(text: str) -> list[tuple[int, str]]:
    """Cells as (first line number, text); a line starting with ``# %%`` starts a cell."""
    cells: list[tuple[int, str]] = []
    start, lines = 1, []
    for number, line in enumerate(source_lines(text), start=1):
        if line.startswith("# %%"):
            if any(x.strip() for x in lines):
                cells.append((start, "\n".join(lines) + "\n"))
            start, lines = number + 1, []
        else:
            lines.append(line)
    if any(x.strip() for x in lines):
        cells.append((start, "\n".join(lines) + "\n"))
    return cells


class Session:
    """One sandbox: a namespace, an output stream and the bounds in force."""

    def __init__(self, limits: Limits | None = None, out=None) -> None:
        self.limits = limits if limits is not None else _limits_mod.current()
        _limits_mod.install(self.limits)
        self.out = out if out is not None else sys.stdout.write
        globals_ = dict(N.GLOBALS)
        globals_["print"] = self._print
        self.scope = Scope(None, globals_)
        self.steps = 0
        self.max_steps = self.limits.max_steps or float("inf")
        self._clock_base = graph_clock()
        self._clock_reads = 0
        self.deadline: float | None = None
        self.call_depth = 0
        self.display = True
        self.last_value = None
        if sys.getrecursionlimit() < 20000:
            sys.setrecursionlimit(20000)

    # builtins that need the session ------------------------------------------------------
    def _print(self, *args, sep: str = " ", end: str = "\n") -> None:
        if not isinstance(sep, str) or not isinstance(end, str):
            raise TorchTypeError("print(): sep and end must be strings")
        self.out(sep.join(str(a) for a in args) + end)

    def check_bounds(self, pos) -> None:
        """Raise LimitError if the step, graph-node or wall-clock bound has been passed."""
        if self.steps > self.max_steps:
            raise LimitError(
                f"the program ran more than {self.limits.max_steps:,} steps "
                "(an endless loop? raise the bound with --max-steps or ADCLI_MAX_STEPS)",
                pos=pos,
            )
        if self.limits.max_nodes and self.nodes_recorded() > self.limits.max_nodes:
            raise LimitError(
                f"the program recorded more than {self.limits.max_nodes:,} autograd graph "
                "nodes (a graph that grows in a loop? raise the bound with --max-nodes or "
                "ADCLI_MAX_NODES)",
                pos=pos,
            )
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise LimitError(
                f"the program ran longer than {self.limits.timeout:g} s "
                "(raise the bound with --timeout or ADCLI_TIMEOUT)",
                pos=pos,
            )

    def nodes_recorded(self) -> int:
        """How many autograd graph nodes were recorded since this session began."""
        self._clock_reads += 1
        return graph_clock() - self._clock_base - self._clock_reads

    def bind(self, name: str, value) -> None:
        self.scope[name] = value

    def _compile(self, tree: Node):
        return _Compiler(self).block(tree.fields[0])

    def _parse(self, text: str, start: str):
        bound = self.limits.max_input_bytes
        if bound and len(text) > bound:
            raise LimitError(
                f"the source is {len(text):,} characters, over the limit of {bound:,} "
                "(raise it with --max-input-bytes or ADCLI_MAX_INPUT_BYTES)",
                pos=(1, 1),
            )
        return parse(text, start, max_depth=self.limits.max_depth or 10**9)

    def exec_source(self, text: str, filename: str = "<string>", display: bool = False):
        """Run statements; return the last statement's value if it was an expression."""
        tree = self._parse(text, "file_input")
        run = self._compile(tree)
        old, self.display = self.display, display
        self.last_value = None
        stmts = tree.fields[0]
        try:
            run(self.scope)
        finally:
            self.display = old
        if stmts and stmts[-1].kind == "expr":
            return self.last_value
        return None

    def eval_expr(self, text: str):
        """Evaluate one expression in this session's names."""
        tree = self._parse(text, "eval_input")
        fn = _Compiler(self).expr(tree)
        try:
            return fn(self.scope)
        except Exception as e:
            raise _locate(e, tree.pos) from None

    def run_cells(self, text: str, filename: str = "<stdin>", err=None) -> CellReport:
        """Run a cell script: each cell's output, an error ending only its own cell."""
        err = err if err is not None else sys.stderr.write
        report = CellReport()
        lines = source_lines(text)
        for first_line, cell in split_cells(text):
            report.cells += 1
            try:
                bound = self.limits.max_input_bytes
                if bound and len(cell) > bound:
                    raise LimitError(
                        f"the cell is {len(cell):,} characters, over the limit of {bound:,} "
                        "(raise it with --max-input-bytes or ADCLI_MAX_INPUT_BYTES)",
                        pos=(first_line, 1),
                    )
                tree = parse(cell, "file_input", max_depth=self.limits.max_depth or 10**9,
                             first_line=first_line)
                self._compile(tree)(self.scope)
            except (_Break, _Continue):  # pragma: no cover - rejected at compile time
                continue
            except InternalError as e:
                report.internal += 1
                err(format_internal(filename, e.pos, e.original))
            except AdcliError as e:
                report.failed += 1
                report.errors.append(e)
                first = str(e).splitlines()[0] if str(e) else ""
                self.out(f"{e.kind}: {first}\n")
                err(format_diagnostic(filename, lines, e.pos, e.kind, str(e)))
            except Exception as e:  # a bug in adcli: say so, and go on with the next cell
                located = _locate(e, None)
                if isinstance(located, AdcliError):
                    report.failed += 1
                    report.errors.append(located)
                    self.out(f"{located.kind}: {located}\n")
                    err(format_diagnostic(filename, lines, located.pos, located.kind,
                                          str(located)))
                else:
                    report.internal += 1
                    err(format_internal(filename, None, e))
        return report


def format_internal(filename: str, pos, exc: BaseException) -> str:
    """The short message for a bug in adcli itself."""
    where = f"{filename}:{pos[0]}:{pos[1]}: " if pos else f"{filename}: "
    return (
        f"{where}internal error: {type(exc).__name__}: {exc}\n"
        "  This is a bug in adcli, not in your script. Please report it with the script "
        "that triggered it.\n"
    )
