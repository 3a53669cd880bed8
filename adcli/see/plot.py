"""``adcli plot``: f, df/dx and d²f/dx² of an expression in one variable, sampled on a
range, drawn in the terminal (plotext), to a PNG/SVG/PDF file (matplotlib), or as a table.

``sample`` does the work: it binds the variable to N float64 points that require grad,
evaluates the expression as ``adcli eval`` does (same names, same ``-b`` bindings), checks
that it gives one value per point, and takes the derivatives with autograd:
``df = grad(f.sum(), x, create_graph=True)``, ``d2f = grad(df.sum(), x)``. Summing is
right only for a function applied to each point alone, so a second evaluation, on part
of the points in reverse order, must agree with the first.

The renderers read the ``Samples`` it returns. plotext and matplotlib are optional: a
renderer that needs one raises ``MissingLibrary`` naming it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from adcli.errors import AdcliError, TorchValueError
from adcli.limits import Limits

INSTALL_HINT = "pip install 'adcli[see]'"
FILE_FORMATS = ("png", "svg", "pdf")
CURVES = ("f", "f'", "f''")


class MissingLibrary(Exception):
    """A renderer's optional library is not installed (``.library``: its name)."""

    def __init__(self, library: str, purpose: str) -> None:
        super().__init__(f"{purpose} needs {library}, which is not installed; install it "
                         f"with: {INSTALL_HINT}")
        self.library = library


@dataclass
class Samples:
    """The sampled curves: ``x``, ``f``, ``df`` and, for the second order, ``d2f``."""

    expr: str
    wrt: str
    x: np.ndarray
    f: np.ndarray
    df: np.ndarray
    d2f: np.ndarray | None = None

    @property
    def curves(self) -> list[tuple[str, np.ndarray]]:
        """(label, values) of each curve: f, f' and f'' when sampled."""
        out = [("f", self.f), ("f'", self.df)]
        if self.d2f is not None:
            out.append(("f''", self.d2f))
        return out

    @property
    def title(self) -> str:
        return f"f({self.wrt}) = {self.expr}"

    def to_json(self) -> dict:
        """The --json object; non-finite values are the strings nan, inf, -inf."""
        from adcli.evaluate import _plain

        out = {"expr": self.expr, "wrt": self.wrt, "x": _plain(self.x.tolist()),
               "f": _plain(self.f.tolist()), "df": _plain(self.df.tolist())}
        if self.d2f is not None:
            out["d2f"] = _plain(self.d2f.tolist())
        return out


def _discard(text: str) -> None:
    """Where prints in the expression go."""


def _expr_error(expr: str, message: str) -> AdcliError:
    err = TorchValueError(message)
    err.source = ("<expr>", expr)
    return err


def sample(expr: str, wrt: str, start: float, stop: float, points: int = 201,
           order: int = 1, bindings: list[tuple[str, str]] | None = None,
           limits: Limits | None = None) -> Samples:
    """Evaluate ``expr`` at ``points`` points of ``wrt`` from ``start`` to ``stop``, with
    its derivatives up to ``order`` (1 or 2).

    Raises BindingError for a -b that cannot be read, and AdcliError (with ``.source``,
    the (where, text) it failed in, and ``.pos``) for an error in EXPR or a binding, or
    when EXPR does not give one value per point.
    """
    from adcli.engine import api
    from adcli.evaluate import bind_input
    from adcli.lang.interpreter import Session

    session = Session(limits=limits, out=_discard)
    for name, text in bindings or ():
        bind_input(session, name, text)
    x = api.linspace(start, stop, points, dtype=api.float64, requires_grad=True)
    session.bind(wrt, x)
    f = _evaluate(session, expr)
    try:
        return _derivatives(session, expr, wrt, x, f, order)
    except AdcliError as exc:
        if not hasattr(exc, "source"):
            exc.source = ("<expr>", expr)
        raise


def _evaluate(session, expr: str):
    try:
        return session.eval_expr(expr)
    except AdcliError as exc:
        exc.source = ("<expr>", expr)
        raise


def _values(t) -> np.ndarray:
    return np.asarray(t.detach().numpy(), dtype=np.float64).copy()


def _derivatives(session, expr: str, wrt: str, x, f, order: int) -> Samples:
    from adcli.engine import api
    from adcli.engine.functional import grad
    from adcli.engine.tensor import Tensor

    n = x.shape[0]
    if isinstance(f, bool | int | float):
        f = api.tensor(float(f), dtype=api.float64)
    if not isinstance(f, Tensor):
        raise _expr_error(expr, f"EXPR gives a {type(f).__name__}, not a number or a tensor: "
                                f"plot needs a value for each point of {wrt}")
    if f.dtype.is_complex:
        raise _expr_error(expr, "EXPR gives complex values, which cannot be plotted")
    shape = list(f.shape)
    zeros = np.zeros(n)
    if shape != [n]:
        if f.numel() != 1:
            raise _expr_error(
                expr, f"EXPR gives a result of shape {shape} for the {n} points of {wrt} "
                f"(shape [{n}]): plot needs one value per point, from a function applied to "
                f"each point, such as {wrt}**3 or sin({wrt})/{wrt}")
        depends = f.requires_grad and grad(f.sum(), [x], allow_unused=True)[0] is not None
        if depends:
            raise _expr_error(
                expr, f"EXPR reduces the {n} points of {wrt} to one value: plot needs one "
                f"value per point, from a function applied to each point (such as {wrt}**2, "
                f"not sum({wrt}**2))")
        value = float(f.detach().reshape(()).item())
        return Samples(expr, wrt, _values(x), np.full(n, value), zeros,
                       zeros.copy() if order >= 2 else None)
    _check_pointwise(session, expr, wrt, x, f)
    df = d2f = None
    if f.requires_grad and f.dtype.is_floating_point:
        (df,) = grad(f.sum(), [x], create_graph=order >= 2, allow_unused=True)
    if order >= 2 and df is not None and df.requires_grad:
        (d2f,) = grad(df.sum(), [x], allow_unused=True)
    return Samples(expr, wrt, _values(x), _values(f),
                   _values(df) if df is not None else zeros,
                   (_values(d2f) if d2f is not None else zeros.copy()) if order >= 2 else None)


def _check_pointwise(session, expr: str, wrt: str, x, f) -> None:
    """EXPR on the first half of the points reversed must give the same values: else a
    point's value depends on the others (cumsum, x - mean(x), flip) or on chance."""
    from adcli.engine import api

    n = x.shape[0]
    if n < 2:
        return
    k = n // 2 + 1
    data = _values(x)[::-1][:k].copy()
    session.bind(wrt, api.tensor(data, dtype=api.float64, requires_grad=True))
    try:
        again = session.eval_expr(expr)
    except AdcliError:  # x * ones(201): made for one number of points
        again = None
    finally:
        session.bind(wrt, x)
    first = _values(f)[::-1][:k]
    from adcli.engine.tensor import Tensor

    same = (isinstance(again, Tensor) and list(again.shape) == [k]
            and np.allclose(_values(again), first, rtol=1e-6, atol=1e-9, equal_nan=True))
    if not same:
        raise _expr_error(
            expr, f"EXPR does not act on each point of {wrt} alone (its value at a point "
            "depends on the other points, or on chance): plot needs a function applied to "
            f"each point, such as {wrt}**3 or exp(-{wrt}**2)")


# ---- the range ------------------------------------------------------------------------
def parse_range(text: str, limits: Limits | None = None) -> tuple[float, float]:
    """``A:B`` as two finite numbers with A < B; each may be an expression (``-pi:pi``,
    ``0:2*pi``). ValueError with a message for the user otherwise."""
    start, sep, stop = text.partition(":")
    if not sep or not start.strip() or not stop.strip():
        raise ValueError(f"--range {text!r}: expected A:B, such as --range -2:2 or "
                         "--range=-pi:pi")
    a, b = (_number(part.strip(), text, limits) for part in (start, stop))
    if not a < b:
        raise ValueError(f"--range {text!r}: the start must be less than the end")
    return a, b


def _number(part: str, text: str, limits: Limits | None) -> float:
    try:
        value = float(part)
    except ValueError:
        from adcli.engine.tensor import Tensor
        from adcli.lang.interpreter import Session

        try:
            value = Session(limits=limits, out=_discard).eval_expr(part)
        except AdcliError as exc:
            raise ValueError(f"--range {text!r}: {part!r} is not a number ({exc})") from None
        if isinstance(value, Tensor) and value.numel() == 1:
            value = value.item()
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"--range {text!r}: {part!r} is not a number") from None
        value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"--range {text!r}: {part!r} is not a finite number")
    return value


# ---- rendering -------------------------------------------------------------------------
def _fmt(v: float) -> str:
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return f"{v:.6g}"


def text_table(s: Samples, max_rows: int = 41) -> str:
    """x and each curve in columns; at most ``max_rows`` evenly spaced rows (both ends
    included), saying so when some points are left out."""
    n = len(s.x)
    if n <= max_rows:
        rows = list(range(n))
    else:
        rows = sorted({round(i * (n - 1) / (max_rows - 1)) for i in range(max_rows)})
    names = [s.wrt] + [label for label, _ in s.curves]
    columns = [s.x] + [values for _, values in s.curves]
    cells = [[_fmt(float(c[i])) for c in columns] for i in rows]
    widths = [max(len(names[j]), *(len(r[j]) for r in cells)) for j in range(len(names))]
    lines = [s.title]
    if len(rows) < n:
        lines.append(f"({len(rows)} of {n} points; --json gives them all)")
    lines.append("  ".join(name.rjust(w) for name, w in zip(names, widths)))
    lines += ["  ".join(c.rjust(w) for c, w in zip(row, widths)) for row in cells]
    return "\n".join(lines) + "\n"


def y_limits(s: Samples) -> tuple[float, float] | None:
    """Limits for the y axis that leave out a pole's few huge values (1/x near 0), or None
    when every value fits well: the 10th to 90th percentile of all the curves' finite
    values, widened by half that span, when the whole span is over 5 times as wide."""
    values = np.concatenate([v[np.isfinite(v)] for _, v in s.curves])
    if values.size < 10:
        return None
    low, high = np.percentile(values, [10, 90])
    span = high - low
    whole = values.max() - values.min()
    if span <= 0 or whole <= 5 * span:
        return None
    return float(max(values.min(), low - span / 2)), float(min(values.max(), high + span / 2))


def _segments(x: np.ndarray, y: np.ndarray, limits) -> list[tuple[list, list]]:
    """The runs of consecutive points that can be drawn (finite, within the limits), so
    that no line is drawn across a gap."""
    keep = np.isfinite(y)
    if limits is not None:
        keep &= (y >= limits[0]) & (y <= limits[1])
    runs, start = [], None
    for i, k in enumerate(keep.tolist() + [False]):
        if k and start is None:
            start = i
        elif not k and start is not None:
            runs.append((x[start:i].tolist(), y[start:i].tolist()))
            start = None
    return runs


def terminal_plot(s: Samples, width: int = 80, height: int = 24, color: bool = True) -> str:
    """The curves drawn with plotext (6.x's figure API, or 5.x's pyplot-like one), as
    text; raises MissingLibrary without plotext."""
    try:
        import plotext
    except ImportError:
        raise MissingLibrary("plotext", "drawing in the terminal") from None
    if hasattr(plotext, "plot") and hasattr(plotext, "build"):
        return _plotext5(plotext, s, width, height, color)
    return _plotext6(plotext, s, width, height, color)


# markers that tell the curves apart without colors
_PLAIN_MARKERS = ("hd", "dot", "x")
_COLORS5 = ("blue+", "green+", "red+")  # plotext 5: one color per curve, for its segments


def _plotext6(plotext, s: Samples, width: int, height: int, color: bool) -> str:
    fig = plotext.figure
    fig.clear()
    fig.theme("simple" if color else "colorless")
    limits = y_limits(s)
    for i, (label, values) in enumerate(s.curves):
        runs = _segments(s.x, values, limits)
        xs = [v for run in runs for v in run[0]]
        ys = [v for run in runs for v in run[1]]
        marker = "hd" if color else _PLAIN_MARKERS[i]
        signal = fig.signal(xs, ys, marker=_marker6(plotext, marker))
        signal.label(label)
        signal.lines()
        at = 0
        for run in runs[:-1]:  # no line from one run to the next
            at += len(run[0])
            signal.line(at, False)
        fig.draw(signal)
    corner = _emptiest_corner(s, limits)
    if corner is not None:
        x, y, ha, va = corner
        fig.legend(True, x, y, ha=ha, va=va, relative=True)
    fig.title(s.title)
    fig.label(s.wrt)
    fig.plot_size(width, height)
    text = fig.build().string(colorless=not color)
    fig.clear()
    return text.rstrip("\n") + "\n"


def _emptiest_corner(s: Samples, limits):
    """(x, y, ha, va) of the corner of the plot with the fewest points near it, for the
    legend; None when nothing can be plotted."""
    points = [(s.x[np.isfinite(v)], v[np.isfinite(v)]) for _, v in s.curves]
    xs = np.concatenate([p[0] for p in points])
    ys = np.concatenate([p[1] for p in points])
    if limits is not None:
        inside = (ys >= limits[0]) & (ys <= limits[1])
        xs, ys = xs[inside], ys[inside]
    if not xs.size:
        return None
    x0, x1, y0, y1 = float(s.x[0]), float(s.x[-1]), float(ys.min()), float(ys.max())
    wide, tall = (x1 - x0) * 0.25, max(y1 - y0, 1e-12) * 0.4
    corners = [(x0, y1, "left", "top"), (x1, y1, "right", "top"),
               (x0, y0, "left", "bottom"), (x1, y0, "right", "bottom")]

    def crowd(corner) -> int:
        cx, cy, ha, va = corner
        near_x = xs <= x0 + wide if ha == "left" else xs >= x1 - wide
        near_y = ys >= y1 - tall if va == "top" else ys <= y0 + tall
        return int(np.count_nonzero(near_x & near_y))

    return min(corners, key=crowd)


def _marker6(plotext, name: str):
    return {"hd": "hd", "dot": "•", "x": "x"}.get(name, name)


def _plotext5(plotext, s: Samples, width: int, height: int, color: bool) -> str:
    plotext.clear_figure()
    plotext.theme("clear")
    limits = y_limits(s)
    for i, (label, values) in enumerate(s.curves):
        marker = "hd" if color else _PLAIN_MARKERS[i]
        for j, (xs, ys) in enumerate(_segments(s.x, values, limits)):
            plotext.plot(xs, ys, label=label if j == 0 else None, marker=marker,
                         color=_COLORS5[i])
    plotext.title(s.title)
    plotext.xlabel(s.wrt)
    plotext.plotsize(width, height)
    text = plotext.build()
    plotext.clear_figure()
    if not color:
        text = plotext.uncolorize(text)
    return text.rstrip("\n") + "\n"


def save_figure(s: Samples, path: str) -> None:
    """The curves drawn with matplotlib (Agg, no pyplot) to ``path``: its suffix (.png,
    .svg, .pdf) is the format. Raises MissingLibrary without matplotlib, ValueError for
    another suffix, OSError when the file cannot be written."""
    import os

    fmt = os.path.splitext(path)[1].lower().lstrip(".")
    if fmt not in FILE_FORMATS:
        raise ValueError(f"--out {path}: give a file name ending in "
                         + ", ".join(f".{f}" for f in FILE_FORMATS))
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise MissingLibrary("matplotlib", "--out (saving the plot to a file)") from None
    fig = Figure(figsize=(7.5, 4.6), dpi=120, layout="constrained")
    ax = fig.add_subplot()
    styles = ("-", "--", ":")
    for (label, values), style in zip(s.curves, styles):
        y = np.where(np.isfinite(values), values, np.nan)
        ax.plot(s.x, y, style, label=label, linewidth=1.8)
    ax.axhline(0.0, color="0.6", linewidth=0.8, zorder=0)
    ax.set_title(s.title.replace("$", r"\$"))  # no mathtext
    ax.set_xlabel(s.wrt)
    ax.set_xlim(float(s.x[0]), float(s.x[-1]))
    limits = y_limits(s)
    if limits is not None:
        low, high = limits
        pad = (high - low) * 0.05
        ax.set_ylim(low - pad, high + pad)
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.savefig(path, format=fmt)
