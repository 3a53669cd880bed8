"""``import matplotlib.pyplot as plt``: tutorials' loss curves, drawn or skipped safely.

A program sees ``matplotlib`` (``use``, ``rcParams``, ``pyplot``) and ``matplotlib.pyplot``:
``figure subplots subplot gcf gca plot scatter hist bar imshow contour ... xlabel ylabel
title legend grid savefig show close``, with figures and axes whose methods are the
common ones (``ax.plot``, ``ax.set_xlabel``, ``fig.savefig``, ``axes[0, 1]``, ...).

Two ways it runs, chosen at a program's first plotting call:

- **drawing**: matplotlib is installed and ``adcli run --plots DIR`` set a plots
  directory (``set_plots_dir``). Every call is applied at once to a real matplotlib
  ``Figure`` (made without pyplot, so no GUI backend and no global figure state; files
  are written by the Agg, SVG or PDF backend); ``savefig(name)`` writes the base name of
  ``name`` inside the plots directory, and ``show()`` saves each open figure there as
  ``figure-N.png`` (N counts from 1 after each ``set_plots_dir``) and closes it;
- **skipping**: otherwise every call checks its arguments as in the drawing mode and
  returns stand-ins (``hist`` still computes its counts), and the program's stderr gets
  one note for the whole run.

The sandbox: a script's values reach matplotlib only as numbers, strings, and float or
bool numpy arrays (tensors, numpy arrays, lists and ranges are converted, a tensor that
requires grad is refused as torch refuses ``.numpy()``); keyword arguments are taken from
a fixed list (no ``usetex``, ``backend``, ``metadata``, callables or paths); a script
never chooses a path (file names are reduced to a plain base name with a known
extension, opened without following a link); figure sizes, dpi, bins, levels, subplots
and files written are bounded. Attributes of the objects are the fixed lists below.
"""

from __future__ import annotations

import math
import os

from adcli.errors import (
    AdcliError,
    LimitError,
    TorchAttributeError,
    TorchIndexError,
    TorchKeyError,
    TorchRuntimeError,
    TorchTypeError,
    TorchValueError,
)

__all__ = ["set_plots_dir", "plots_dir", "make_table", "PlotState", "Figure", "Axes",
           "AxesArray", "Artist"]

# ---- the plots directory (process-wide: ``adcli run --plots DIR`` sets it) --------------
_PLOTS = {"dir": None, "shown": None, "counter": 0, "files": 0}

SKIP_NOTE = "adcli: matplotlib calls are skipped (use --plots DIR to save figures)\n"
MISSING_NOTE = ("adcli: matplotlib calls are skipped (matplotlib is not installed: "
                "pip install 'adcli[see]')\n")
FORMATS = ("png", "svg", "pdf", "jpg", "jpeg")

MAX_OPEN_FIGURES = 200
MAX_FILES = 1000  # files one process writes
MAX_SUBPLOTS = 100
MAX_PIXELS = 40_000_000  # of one figure (width * height at its dpi)
MAX_DPI = 1000
MAX_INCHES = 200
MAX_TEXT = 2000  # characters of one label, title or format string
MAX_BINS = 100_000
MAX_LEVELS = 1000


def set_plots_dir(path: str | None) -> None:
    """Where figures go: ``savefig(name)`` writes ``DIR/basename(name)`` and ``show()``
    writes ``DIR/figure-N.png``. None: figures are not drawn (calls are skipped with one
    note). The directory is made when missing; numbering starts again at 1.

    Raises ValueError (with a message for the user) when ``path`` cannot be a directory.
    """
    _PLOTS["counter"] = _PLOTS["files"] = 0
    if path is None:
        _PLOTS["dir"] = _PLOTS["shown"] = None
        return
    if not isinstance(path, str) or not path:
        raise ValueError("--plots needs a directory name")
    full = os.path.abspath(path)
    if os.path.exists(full) and not os.path.isdir(full):
        raise ValueError(f"--plots {path}: not a directory")
    try:
        os.makedirs(full, exist_ok=True)
    except OSError as exc:
        raise ValueError(f"--plots {path}: cannot make the directory: "
                         f"{exc.strerror or exc}") from None
    _PLOTS["dir"], _PLOTS["shown"] = full, path


def plots_dir() -> str | None:
    """The plots directory set by ``set_plots_dir`` (absolute), or None."""
    return _PLOTS["dir"]


# ---- converting a script's values ----------------------------------------------------------
def _type_name(value) -> str:
    from adcli.lang.pylib._common import type_name

    return type_name(value)


def _text(value, fn: str, what: str = "text") -> str:
    if not isinstance(value, str):
        raise TorchTypeError(f"{fn}(): {what} must be a str, not '{_type_name(value)}'")
    if len(value) > MAX_TEXT:
        raise LimitError(f"{fn}(): a {what} of {len(value):,} characters is over the limit "
                         f"of {MAX_TEXT:,}")
    return value


def _strings(values, fn: str) -> list | None:
    """A list or tuple of strings as a list (categories, labels), or None if it is not
    one."""
    if not isinstance(values, list | tuple) or not values:
        return None
    if not all(isinstance(v, str) for v in values):
        return None
    from adcli.lang.pylib._common import check_objects

    check_objects(len(values), f"{fn}()")
    return [_text(v, fn) for v in values]


def _array(value, fn: str, *, floating: bool = True):
    """A script's data (a tensor, numpy array, number, list, tuple or range) as a numpy
    array: float64 for data, or its own numeric or bool dtype."""
    import numpy as np

    from adcli.lang.pylib import numpy_subset

    arr = np.asarray(numpy_subset._data(value, f"{fn}()"))
    if arr.dtype.kind == "c":
        raise TorchTypeError(f"{fn}(): complex values cannot be plotted")
    if arr.dtype.kind not in "biuf":  # a Python int too large for int64
        try:
            arr = arr.astype(np.float64)
        except (OverflowError, TypeError, ValueError):
            raise TorchValueError(f"{fn}(): the values are not numbers that can be "
                                  "plotted") from None
    if floating and arr.dtype != np.float64:
        arr = arr.astype(np.float64)
    return arr


def _data(value, fn: str):
    """A positional argument of a plotting call: a format string, a list of category
    names, or numbers as a float64 array."""
    if isinstance(value, str):
        return _text(value, fn, "format string")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)  # a scalar stays one (axhline's y, bar's width)
    names = _strings(value, fn)
    if names is not None:
        return names
    return _array(value, fn)


def _number(value, fn: str, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        import numpy as np

        if isinstance(value, np.generic) and value.dtype.kind in "iuf":
            value = value.item()
        else:
            raise TorchTypeError(f"{fn}(): {what} must be a number, not "
                                 f"'{_type_name(value)}'")
    value = float(value)
    if not math.isfinite(value):
        raise TorchValueError(f"{fn}(): {what} must be finite, not {value!r}")
    return value


def _count(value, fn: str, what: str, bound: int, low: int = 1) -> int:
    from adcli.lang.pylib._common import as_int

    n = as_int(value, f"{fn}(): {what}")
    if not low <= n <= bound:
        raise TorchValueError(f"{fn}(): {what} must be from {low} to {bound:,}, not {n}")
    return n


# Keyword arguments a call may pass on (their values converted by ``_kw_value``). Anything
# else (usetex, backend, metadata, path_effects, transform, fontproperties, picker, ...)
# is refused: a name here reaches matplotlib's setters, and nothing else does.
ALLOWED_KWARGS = frozenset({
    # lines and markers
    "label", "color", "c", "alpha", "zorder", "linestyle", "ls", "linewidth", "lw",
    "marker", "markersize", "ms", "markerfacecolor", "mfc", "markeredgecolor", "mec",
    "markeredgewidth", "mew", "markevery", "fillstyle", "drawstyle", "ds", "antialiased",
    "solid_capstyle", "dash_capstyle", "visible",
    # scatter, images, contours
    "s", "cmap", "vmin", "vmax", "edgecolors", "edgecolor", "facecolor", "facecolors",
    "linewidths", "aspect", "interpolation", "origin", "extent", "levels", "colors",
    "linestyles", "extend",
    # hist, bar, fill_between, errorbar
    "bins", "range", "density", "weights", "cumulative", "bottom", "histtype", "align",
    "orientation", "rwidth", "log", "stacked", "width", "height", "tick_label", "yerr",
    "xerr", "capsize", "ecolor", "elinewidth", "capthick", "fmt", "where", "interpolate",
    "step", "hatch",
    # lines across the axes, text
    "x", "y", "xmin", "xmax", "ymin", "ymax", "fontsize", "size", "fontweight", "weight",
    "fontstyle", "style", "ha", "va", "horizontalalignment", "verticalalignment",
    "rotation", "labelpad", "loc", "pad", "wrap",
    # legend, grid
    "ncol", "ncols", "frameon", "title", "framealpha", "shadow", "fancybox",
    "bbox_to_anchor", "markerscale", "title_fontsize", "labels", "handles", "which",
    "axis",
    # limits, scales, ticks
    "left", "right", "top", "auto", "base", "nonpositive", "linthresh", "ticks", "minor",
    # figures, subplots, colorbars, layout
    "figsize", "dpi", "num", "clear", "layout", "nrows", "sharex", "sharey", "squeeze",
    "width_ratios", "height_ratios", "ax", "shrink", "fraction", "h_pad", "w_pad", "rect",
    "wspace", "hspace", "adjustable",
    # savefig
    "format", "bbox_inches", "pad_inches", "transparent", "block",
})


def _kw_value(value, fn: str, key: str):
    """A keyword argument's value as matplotlib may see it."""
    import numpy as np

    if value is None or isinstance(value, bool | int | float):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**53:
            raise TorchValueError(f"{fn}(): {key}={value} is too large")
        return value
    if isinstance(value, str):
        return _text(value, fn, key)
    if isinstance(value, np.generic) and value.dtype.kind in "biuf":
        return value.item()
    if isinstance(value, Figure | Axes | Artist):
        return value._real
    if isinstance(value, list | tuple):
        if value and all(isinstance(v, Artist | Axes) for v in value):
            return [v._real for v in value]
        names = _strings(value, fn)
        if names is not None:
            return names
    if isinstance(value, AxesArray):
        return [a._real for a in value._flat()]
    return _array(value, fn, floating=False)


def _kwargs(kwargs: dict, fn: str, drop: tuple = ()) -> dict:
    out = {}
    for key, value in kwargs.items():
        if key not in ALLOWED_KWARGS:
            raise TorchTypeError(f"{fn}() got an unexpected keyword argument '{key}' (adcli's "
                                 "matplotlib takes the common ones: see docs/plot.md)")
        if key in drop:
            continue
        out[key] = _kw_value(value, fn, key)
    bins = out.get("bins")
    if isinstance(bins, int) and not isinstance(bins, bool):
        _count(bins, fn, "bins", min(MAX_BINS, _element_bound()))
    levels = out.get("levels")
    if isinstance(levels, int) and not isinstance(levels, bool):
        _count(levels, fn, "levels", MAX_LEVELS)
    return out


def _element_bound() -> int:
    from adcli import limits

    return limits.current().max_elements or MAX_BINS


def _check_size(figsize, dpi, fn: str) -> tuple:
    """Figure size in inches and dpi, within the pixel bound."""
    if not isinstance(figsize, list | tuple) or len(figsize) != 2:
        import numpy as np

        if not (isinstance(figsize, np.ndarray) and figsize.shape == (2,)):
            raise TorchValueError(f"{fn}(): figsize must be two numbers (width, height) in "
                                  "inches")
        figsize = figsize.tolist()
    w = _number(figsize[0], fn, "the figure width")
    h = _number(figsize[1], fn, "the figure height")
    dpi = _number(dpi, fn, "dpi")
    if not (0 < w <= MAX_INCHES and 0 < h <= MAX_INCHES):
        raise TorchValueError(f"{fn}(): figsize must be from 0 to {MAX_INCHES} inches, "
                              f"not ({w:g}, {h:g})")
    if not 0 < dpi <= MAX_DPI:
        raise TorchValueError(f"{fn}(): dpi must be from 0 to {MAX_DPI}, not {dpi:g}")
    if w * h * dpi * dpi > MAX_PIXELS:
        raise LimitError(f"{fn}(): a figure of {w:g}x{h:g} inches at {dpi:g} dpi would have "
                         f"{int(w * h * dpi * dpi):,} pixels, over the limit of "
                         f"{MAX_PIXELS:,}")
    return (w, h), dpi


def _file_name(fname, fmt, fn: str) -> tuple[str, str]:
    """A script's file name reduced to a plain base name and its format: the last part
    after any / or \\, characters outside [A-Za-z0-9._-] as _, no leading dot."""
    if not isinstance(fname, str):
        raise TorchTypeError(f"{fn}(): the file name must be a str, not "
                             f"'{_type_name(fname)}'")
    base = fname.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    base = "".join(ch if (ch.isascii() and (ch.isalnum() or ch in "._-")) else "_"
                   for ch in base).lstrip(".")[:120]
    stem, dot, ext = base.rpartition(".")
    if fmt is not None:
        fmt = _text(fmt, fn, "format").lower()
    if dot and ext.lower() in FORMATS:
        fmt = fmt or ext.lower()
    elif dot and ext:
        if fmt is None:
            raise TorchValueError(f"{fn}(): Format '{ext}' is not supported (supported "
                                  f"formats: {', '.join(FORMATS)})")
        base = f"{base}.{fmt}"
    else:
        fmt = fmt or "png"
        base = f"{base or 'figure'}.{fmt}"
    if fmt not in FORMATS:
        raise TorchValueError(f"{fn}(): Format '{fmt}' is not supported (supported formats: "
                              f"{', '.join(FORMATS)})")
    return base, fmt


# ---- calling matplotlib ----------------------------------------------------------------
_ERRORS = ((AttributeError, TorchAttributeError), (KeyError, TorchKeyError),
           (IndexError, TorchIndexError), (TypeError, TorchTypeError),
           (ValueError, TorchValueError))


def _mpl_error(exc: BaseException) -> BaseException:
    """An exception of matplotlib as the script's error (its message kept)."""
    from adcli.lang.pylib._common import user_error

    if isinstance(exc, AdcliError):
        return exc
    if isinstance(exc, RecursionError | MemoryError):
        return user_error(exc)
    message = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
    for base, cls in _ERRORS:
        if isinstance(exc, base):
            return cls(message)
    return TorchRuntimeError(f"matplotlib: {type(exc).__name__}: {message}")


class PlotState:
    """One session's figures: the open ones, the current one, whether calls draw."""

    def __init__(self, context) -> None:
        self.context = context
        self.figures: list[Figure] = []
        self.current: Figure | None = None
        self.numbers = 0  # figure numbers (plt.figure(num))
        self.rc: dict = {"figure.figsize": [6.4, 4.8], "figure.dpi": 100.0}
        self.style = None
        self.mappable = None  # the last image, contour set or scatter (for colorbar())
        self._mpl = None  # None: not decided; False: skipping; else matplotlib's Figure

    # -- the mode, decided at the first call that plots
    def drawing(self) -> bool:
        if self._mpl is None:
            self._mpl = False
            note = SKIP_NOTE
            if _PLOTS["dir"] is not None:
                try:
                    from matplotlib.figure import Figure as MplFigure
                except ImportError:
                    note = MISSING_NOTE
                else:
                    self._mpl, note = MplFigure, None
            if note:
                self.context.write_err(note)
        return self._mpl is not False

    def call(self, fn, *args, **kwargs):
        """Call matplotlib: its errors become the script's, its warnings the script's
        warnings (through the session's filters, at the script's line)."""
        import warnings

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result = fn(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - each becomes the script's error
                raise _mpl_error(exc) from None
        for w in caught[:20]:
            self._warn(w)
        return result

    def _warn(self, w) -> None:
        from adcli.lang.pylib import warningsmod

        category = DeprecationWarning if issubclass(w.category, DeprecationWarning) \
            else UserWarning
        try:
            warningsmod.emit(self.context, str(w.message), category, 1)
        except AdcliError:
            raise
        except Exception:  # noqa: BLE001 - a warning is never worth a crash
            pass

    # -- figures
    def new_figure(self, figsize=None, dpi=None, facecolor=None, layout=None, num=None):
        self.drawing()
        if len(self.figures) >= MAX_OPEN_FIGURES:
            raise LimitError(f"more than {MAX_OPEN_FIGURES} figures are open (close them "
                             "with plt.close())")
        figsize = self.rc.get("figure.figsize") if figsize is None else figsize
        dpi = self.rc.get("figure.dpi") if dpi is None else dpi
        size, dpi = _check_size(figsize, dpi, "figure")
        real = None
        if self._mpl:
            options = {"figsize": size, "dpi": dpi}
            if facecolor is not None:
                options["facecolor"] = facecolor
            if layout is not None:
                options["layout"] = layout
            real = self.call(self._mpl, **options)
        if num is None:
            self.numbers += 1
            num = self.numbers
        else:
            self.numbers = max(self.numbers, num)
        fig = Figure(self, real, num, size, dpi)
        self.figures.append(fig)
        self.current = fig
        return fig

    def gcf(self):
        return self.current if self.current is not None else self.new_figure()

    def gca(self):
        return self.gcf().gca()

    def close(self, fig) -> None:
        if fig in self.figures:
            self.figures.remove(fig)
        if self.current is fig:
            self.current = self.figures[-1] if self.figures else None

    # -- files
    def save(self, fig, fname, fmt=None, dpi=None, **options) -> None:
        name, fmt = _file_name(fname, fmt, "savefig")
        if dpi is not None and dpi != "figure":
            _, options["dpi"] = _check_size(fig._size, dpi, "savefig")
        if not self.drawing() or fig._real is None:
            return
        if _PLOTS["dir"] is None:
            return
        if _PLOTS["files"] >= MAX_FILES:
            raise LimitError(f"savefig(): more than {MAX_FILES} files were written")
        _PLOTS["files"] += 1
        path = os.path.join(_PLOTS["dir"], name)
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
        shown = os.path.join(_PLOTS["shown"], name)
        try:
            fd = os.open(path, flags, 0o644)
        except OSError as exc:
            raise TorchRuntimeError(f"savefig(): cannot write {shown}: "
                                    f"{exc.strerror or exc}") from None
        with os.fdopen(fd, "wb") as fh:
            self.call(fig._real.savefig, fh, format=fmt, **options)
        from adcli.diagnostics import show_path

        self.context.write_err(f"adcli: saved {show_path(shown)}\n")

    def show(self) -> None:
        """Save each open figure as figure-N.png (when drawing) and close it."""
        for fig in list(self.figures):
            if self.drawing() and fig._real is not None and _PLOTS["dir"] is not None:
                _PLOTS["counter"] += 1
                self.save(fig, f"figure-{_PLOTS['counter']}.png")
            self.close(fig)


# ---- the objects a script holds ------------------------------------------------------------
# A script reaches these classes only through ``obj.__class__``; calling one from a script
# makes an object that holds no matplotlib object (``_made`` refuses any other).
def _made(real):
    """``real`` if it is None or one of matplotlib's own objects, else a TypeError."""
    if real is None:
        return real
    import sys

    cls = type(real)
    module = sys.modules.get(cls.__module__) if cls.__module__.startswith("matplotlib.") \
        else None
    if module is None or vars(module).get(cls.__name__) is not cls:
        raise TorchTypeError("cannot create matplotlib objects this way")
    return real


class Artist:
    """What a plotting call returns (a line, an image, a text): printed as matplotlib's,
    with no attribute of its own; ``colorbar(im)`` and ``legend(handles=...)`` take it.
    ``Artist(kind, real)`` makes one of the subclass named as matplotlib's class."""

    __slots__ = ("_real",)
    __adcli_public__ = ()
    _kind = "matplotlib.artist.Artist"

    def __new__(cls, kind: str | None = None, real=None):
        if cls is Artist and kind is not None:
            cls = _ARTIST_CLASSES[kind]
        return object.__new__(cls)

    def __init__(self, kind: str | None = None, real=None) -> None:
        self._real = _made(real)

    def __repr__(self) -> str:
        return f"<{self._kind} object at 0x{id(self):x}>"


_ARTIST_CLASSES = {
    kind: type(kind.rsplit(".", 1)[1], (Artist,), {"__slots__": (), "_kind": kind,
                                                   "__module__": __name__})
    for kind in ("matplotlib.lines.Line2D", "matplotlib.text.Text",
                 "matplotlib.collections.PathCollection", "matplotlib.image.AxesImage",
                 "matplotlib.container.BarContainer", "matplotlib.contour.QuadContourSet",
                 "matplotlib.collections.FillBetweenPolyCollection",
                 "matplotlib.container.ErrorbarContainer", "matplotlib.legend.Legend",
                 "matplotlib.colorbar.Colorbar")
}


_LINE = "matplotlib.lines.Line2D"
_TEXT = "matplotlib.text.Text"


def _artists(kind: str, reals, count: int) -> list:
    if reals is None:
        return [Artist(kind) for _ in range(count)]
    return [Artist(kind, r) for r in reals]


def _line_count(args: list, fn: str) -> int:
    """How many lines ``plot(*args)`` draws, checking the shapes as matplotlib does."""
    import numpy as np

    count, i = 0, 0
    while i < len(args):
        if isinstance(args[i], str):
            raise TorchValueError(f"{fn}(): a format string must follow data, not "
                                  f"come first: {args[i]!r}")
        if i + 1 < len(args) and not isinstance(args[i + 1], str):
            x, y = args[i], args[i + 1]
            i += 2
        else:
            x, y = None, args[i]
            i += 1
        if i < len(args) and isinstance(args[i], str):
            i += 1
        ys = np.atleast_1d(np.asarray(y, dtype=object if isinstance(y, list) else None))
        xs = ys if x is None else np.atleast_1d(np.asarray(
            x, dtype=object if isinstance(x, list) else None))
        if xs.shape[0] != ys.shape[0]:
            raise TorchValueError(f"x and y must have same first dimension, but have shapes "
                                  f"{xs.shape} and {ys.shape}")
        if xs.ndim > 2 or ys.ndim > 2:
            raise TorchValueError(f"x and y can be no greater than 2D, but have shapes "
                                  f"{xs.shape} and {ys.shape}")
        count += max(xs.shape[1] if xs.ndim == 2 else 1, ys.shape[1] if ys.ndim == 2 else 1)
    return count


class Axes:
    """One subplot: ``ax.plot(...)``, ``ax.set_xlabel(...)``, ..."""

    __slots__ = ("_figure", "_real", "_limits")
    __adcli_public__ = (
        "plot", "scatter", "hist", "bar", "barh", "imshow", "contour", "contourf",
        "fill_between", "errorbar", "axhline", "axvline", "semilogx", "semilogy", "loglog",
        "text", "set_xlabel", "set_ylabel", "set_title", "set_xlim", "set_ylim",
        "get_xlim", "get_ylim", "set_xscale", "set_yscale", "set_xticks", "set_yticks",
        "set_xticklabels", "set_yticklabels", "legend", "grid", "axis", "set_aspect",
        "cla", "clear", "figure", "get_figure",
    )

    def __init__(self, figure, real) -> None:
        if not isinstance(figure, Figure):
            raise TorchTypeError("cannot create Axes this way: use plt.subplots()")
        self._figure, self._real = figure, _made(real)
        self._limits = {"x": (0.0, 1.0), "y": (0.0, 1.0)}

    def __repr__(self) -> str:
        return "<Axes: >"

    @property
    def _state(self) -> PlotState:
        return self._figure._state

    def _draw(self, name: str, args, kwargs):
        """Check the arguments of ``name`` (a method of matplotlib's Axes); on a real
        axes, call it and return what it returns (None otherwise)."""
        args = [_data(a, name) for a in args]
        kw = _kwargs(kwargs, name)
        if self._real is None:
            return None
        return self._state.call(getattr(self._real, name), *args, **kw)

    def plot(self, *args, **kwargs):
        args = [_data(a, "plot") for a in args]
        count = _line_count(args, "plot")
        kw = _kwargs(kwargs, "plot")
        reals = self._state.call(self._real.plot, *args, **kw) if self._real else None
        return _artists(_LINE, reals, count)

    def _scaled(self, xscale: str | None, yscale: str | None, args, kwargs):
        lines = self.plot(*args, **kwargs)
        if self._real is not None:
            if xscale:
                self._state.call(self._real.set_xscale, xscale)
            if yscale:
                self._state.call(self._real.set_yscale, yscale)
        return lines

    def semilogx(self, *args, **kwargs):
        return self._scaled("log", None, args, kwargs)

    def semilogy(self, *args, **kwargs):
        return self._scaled(None, "log", args, kwargs)

    def loglog(self, *args, **kwargs):
        return self._scaled("log", "log", args, kwargs)

    def _mappable(self, artist: Artist) -> Artist:
        self._state.mappable = artist
        return artist

    def scatter(self, x, y, *args, **kwargs):
        real = self._draw("scatter", (x, y, *args), kwargs)
        return self._mappable(Artist("matplotlib.collections.PathCollection", real))

    def hist(self, x, *args, **kwargs):
        import numpy as np

        data = _array(x, "hist")
        extra = [_kw_value(a, "hist", "bins") for a in args]
        kw = _kwargs(kwargs, "hist")
        if self._real is not None:
            n, bins, patches = self._state.call(self._real.hist, data, *extra, **kw)
            return n, bins, Artist("matplotlib.container.BarContainer", patches)
        bins = extra[0] if extra else kw.get("bins", 10)
        options = {k: kw[k] for k in ("range", "weights", "density") if k in kw}
        columns = [data] if data.ndim <= 1 else [data[:, j] for j in range(data.shape[1])]
        try:
            results = [np.histogram(c, bins=bins, **options) for c in columns]
        except (ValueError, TypeError) as exc:
            raise _mpl_error(exc) from None
        n = [r[0].astype(np.float64) for r in results]
        edges = results[0][1] if results else np.zeros(0)
        return (n[0] if len(n) == 1 else n), edges, \
            Artist("matplotlib.container.BarContainer")

    def bar(self, x, height, *args, **kwargs):
        real = self._draw("bar", (x, height, *args), kwargs)
        return Artist("matplotlib.container.BarContainer", real)

    def barh(self, y, width, *args, **kwargs):
        real = self._draw("barh", (y, width, *args), kwargs)
        return Artist("matplotlib.container.BarContainer", real)

    def imshow(self, X, **kwargs):
        data = _array(X, "imshow")
        if data.ndim not in (2, 3) or (data.ndim == 3 and data.shape[-1] not in (3, 4)):
            raise TorchTypeError(f"Invalid shape {data.shape} for image data")
        kw = _kwargs(kwargs, "imshow")
        real = self._state.call(self._real.imshow, data, **kw) if self._real else None
        return self._mappable(Artist("matplotlib.image.AxesImage", real))

    def _contour(self, name: str, args, kwargs):
        if not 1 <= len(args) <= 4:
            raise TorchTypeError(f"{name}() takes from 1 to 4 positional arguments but "
                                 f"{len(args)} were given")
        levels = None  # contour(Z, 10), contour(X, Y, Z, 10): a number of levels
        if len(args) in (2, 4) and isinstance(args[-1], int) and \
                not isinstance(args[-1], bool):
            levels = _count(args[-1], name, "levels", MAX_LEVELS)
            args = args[:-1]
        values = [_array(a, name) for a in args]
        if levels is not None:
            values.append(levels)
        kw = _kwargs(kwargs, name)
        method = getattr(self._real, name) if self._real is not None else None
        real = self._state.call(method, *values, **kw) if method else None
        return self._mappable(Artist("matplotlib.contour.QuadContourSet", real))

    def contour(self, *args, **kwargs):
        return self._contour("contour", args, kwargs)

    def contourf(self, *args, **kwargs):
        return self._contour("contourf", args, kwargs)

    def fill_between(self, x, y1, y2=0, **kwargs):
        real = self._draw("fill_between", (x, y1, y2), kwargs)
        return Artist("matplotlib.collections.FillBetweenPolyCollection", real)

    def errorbar(self, x, y, yerr=None, xerr=None, fmt="", **kwargs):
        args = (x, y)
        kwargs = dict(kwargs, fmt=fmt)
        if yerr is not None:
            kwargs["yerr"] = yerr
        if xerr is not None:
            kwargs["xerr"] = xerr
        real = self._draw("errorbar", args, kwargs)
        return Artist("matplotlib.container.ErrorbarContainer", real)

    def axhline(self, y=0, xmin=0, xmax=1, **kwargs):
        args = (_number(y, "axhline", "y"), _number(xmin, "axhline", "xmin"),
                _number(xmax, "axhline", "xmax"))
        real = self._draw("axhline", args, kwargs)
        return Artist(_LINE, real)

    def axvline(self, x=0, ymin=0, ymax=1, **kwargs):
        args = (_number(x, "axvline", "x"), _number(ymin, "axvline", "ymin"),
                _number(ymax, "axvline", "ymax"))
        real = self._draw("axvline", args, kwargs)
        return Artist(_LINE, real)

    def text(self, x, y, s, **kwargs):
        s = _text(str(s) if isinstance(s, int | float) else s, "text")
        args = (_number(x, "text", "x"), _number(y, "text", "y"), s)
        kw = _kwargs(kwargs, "text")
        real = self._state.call(self._real.text, *args, **kw) if self._real else None
        return Artist(_TEXT, real)

    def _label(self, name: str, method: str, label, kwargs):
        label = _text(label if isinstance(label, str) else str(label), name, "label")
        kw = _kwargs(kwargs, name)
        real = None
        if self._real is not None:
            real = self._state.call(getattr(self._real, method), label, **kw)
        return Artist(_TEXT, real)

    def set_xlabel(self, xlabel, **kwargs):
        return self._label("set_xlabel", "set_xlabel", xlabel, kwargs)

    def set_ylabel(self, ylabel, **kwargs):
        return self._label("set_ylabel", "set_ylabel", ylabel, kwargs)

    def set_title(self, label, **kwargs):
        return self._label("set_title", "set_title", label, kwargs)

    def _lim(self, axis: str, args, kwargs):
        name = f"set_{axis}lim"
        if len(args) == 1 and isinstance(args[0], list | tuple):
            args = tuple(args[0])
        if len(args) > 2:
            raise TorchTypeError(f"{name}() takes from 0 to 2 positional arguments but "
                                 f"{len(args)} were given")
        low_key, high_key = ("left", "right") if axis == "x" else ("bottom", "top")
        alt = ("xmin", "xmax") if axis == "x" else ("ymin", "ymax")
        kw = _kwargs(kwargs, name)
        low = args[0] if args else kw.pop(low_key, kw.pop(alt[0], None))
        high = args[1] if len(args) > 1 else kw.pop(high_key, kw.pop(alt[1], None))
        kw.pop("auto", None)
        old = self._limits[axis]
        if self._real is not None:
            get = self._real.get_xlim if axis == "x" else self._real.get_ylim
            old = self._state.call(get)
        low = old[0] if low is None else _number(low, name, low_key)
        high = old[1] if high is None else _number(high, name, high_key)
        if self._real is not None:
            setter = self._real.set_xlim if axis == "x" else self._real.set_ylim
            result = self._state.call(setter, low, high)
            return tuple(float(v) for v in result)
        self._limits[axis] = (low, high)
        return (low, high)

    def set_xlim(self, *args, **kwargs):
        return self._lim("x", args, kwargs)

    def set_ylim(self, *args, **kwargs):
        return self._lim("y", args, kwargs)

    def get_xlim(self):
        if self._real is not None:
            return tuple(float(v) for v in self._state.call(self._real.get_xlim))
        return self._limits["x"]

    def get_ylim(self):
        if self._real is not None:
            return tuple(float(v) for v in self._state.call(self._real.get_ylim))
        return self._limits["y"]

    def _scale(self, name: str, value, kwargs):
        value = _text(value, name, "scale")
        if value not in ("linear", "log", "symlog", "logit"):
            raise TorchValueError(f"{value!r} is not a valid value for scale; supported "
                                  "values are 'linear', 'log', 'symlog', 'logit'")
        kw = _kwargs(kwargs, name)
        if self._real is not None:
            method = self._real.set_xscale if name == "set_xscale" else self._real.set_yscale
            self._state.call(method, value, **kw)

    def set_xscale(self, value, **kwargs):
        self._scale("set_xscale", value, kwargs)

    def set_yscale(self, value, **kwargs):
        self._scale("set_yscale", value, kwargs)

    def _ticks(self, name: str, axis: str, ticks, labels, kwargs):
        """set_xticks/set_yticks (with ``ticks``), set_xticklabels/set_yticklabels."""
        values = _data(ticks, name) if ticks is not None else None
        names = None
        if labels is not None:
            names = _strings(labels, name)
            if names is None:
                names = [_text(str(v), name) for v in _array(labels, name).ravel().tolist()]
        kw = _kwargs(kwargs, name)
        if self._real is None:
            return
        if values is not None:
            method = self._real.set_xticks if axis == "x" else self._real.set_yticks
            self._state.call(method, values, labels=names, **kw)
        elif names is not None:
            method = self._real.set_xticklabels if axis == "x" else \
                self._real.set_yticklabels
            self._state.call(method, names, **kw)

    def set_xticks(self, ticks, labels=None, **kwargs):
        self._ticks("set_xticks", "x", ticks, labels, kwargs)

    def set_yticks(self, ticks, labels=None, **kwargs):
        self._ticks("set_yticks", "y", ticks, labels, kwargs)

    def set_xticklabels(self, labels, **kwargs):
        self._ticks("set_xticklabels", "x", None, labels, kwargs)

    def set_yticklabels(self, labels, **kwargs):
        self._ticks("set_yticklabels", "y", None, labels, kwargs)

    def legend(self, *args, **kwargs):
        if len(args) > 2:
            raise TorchTypeError(f"legend() takes from 0 to 2 positional arguments but "
                                 f"{len(args)} were given")
        values = [_kw_value(a, "legend", "labels") for a in args]
        kw = _kwargs(kwargs, "legend")
        real = self._state.call(self._real.legend, *values, **kw) if self._real else None
        return Artist("matplotlib.legend.Legend", real)

    def grid(self, visible=None, which="major", axis="both", **kwargs):
        if visible is not None and not isinstance(visible, bool):
            raise TorchTypeError(f"grid(): visible must be a bool, not "
                                 f"'{_type_name(visible)}'")
        kw = _kwargs(kwargs, "grid")
        which = _text(which, "grid", "which")
        axis = _text(axis, "grid", "axis")
        if self._real is not None:
            self._state.call(self._real.grid, visible, which=which, axis=axis, **kw)

    def axis(self, arg=None, **kwargs):
        if arg is not None and not isinstance(arg, str | bool):
            arg = _array(arg, "axis").tolist()
            if len(arg) != 4:
                raise TorchTypeError("The first argument to axis() must be an iterable of "
                                     "the form [xmin, xmax, ymin, ymax]")
        kw = _kwargs(kwargs, "axis")
        if self._real is not None:
            result = self._state.call(self._real.axis, arg, **kw)
            return tuple(float(v) for v in result)
        return (*self._limits["x"], *self._limits["y"])

    def set_aspect(self, aspect, **kwargs):
        aspect = aspect if isinstance(aspect, str) else _number(aspect, "set_aspect",
                                                                "aspect")
        kw = _kwargs(kwargs, "set_aspect")
        if self._real is not None:
            self._state.call(self._real.set_aspect, aspect, **kw)

    def cla(self):
        if self._real is not None:
            self._state.call(self._real.cla)
        self._limits = {"x": (0.0, 1.0), "y": (0.0, 1.0)}

    clear = cla

    @property
    def figure(self):
        return self._figure

    def get_figure(self):
        return self._figure


class AxesArray:
    """The axes ``plt.subplots(2, 2)`` returns: ``axes[0, 1]``, ``axes[0][1]``,
    ``for ax in axes``, ``axes.flat``, ``axes.flatten()``, ``axes.ravel()``,
    ``axes.shape`` (as numpy's object array of axes)."""

    __slots__ = ("_items",)
    __adcli_public__ = ("shape", "ndim", "size", "flat", "flatten", "ravel")

    def __init__(self, items) -> None:
        import numpy as np

        if not (isinstance(items, np.ndarray) and items.dtype == object
                and all(isinstance(a, Axes) for a in items.ravel())):
            raise TorchTypeError("cannot create an array of Axes this way: use "
                                 "plt.subplots()")
        self._items = items  # a numpy array of dtype object, each item an Axes

    def _flat(self) -> list:
        return list(self._items.ravel())

    def __getitem__(self, key):
        keys = key if isinstance(key, tuple) else (key,)
        for k in keys:
            if not (isinstance(k, int | slice) or k is None or k is Ellipsis):
                raise TorchIndexError("only integers, slices (`:`), ellipsis (`...`), "
                                      "numpy.newaxis (`None`) and integer or boolean arrays "
                                      "are valid indices")
            if isinstance(k, slice) and not all(v is None or isinstance(v, int)
                                                for v in (k.start, k.stop, k.step)):
                raise TorchTypeError("slice indices must be integers or None or have an "
                                     "__index__ method")
        try:
            item = self._items[key]
        except IndexError as exc:
            raise TorchIndexError(str(exc)) from None
        import numpy as np

        return AxesArray(item) if isinstance(item, np.ndarray) else item

    def __iter__(self):
        import numpy as np

        for item in self._items:
            yield AxesArray(item) if isinstance(item, np.ndarray) else item

    def __len__(self) -> int:
        return len(self._items)

    @property
    def shape(self) -> tuple:
        return tuple(self._items.shape)

    @property
    def ndim(self) -> int:
        return self._items.ndim

    @property
    def size(self) -> int:
        return int(self._items.size)

    @property
    def flat(self) -> list:
        return self._flat()

    def flatten(self):
        return AxesArray(self._items.ravel().copy())

    def ravel(self):
        return AxesArray(self._items.ravel())

    def __repr__(self) -> str:
        def show(items) -> str:
            if items.ndim == 1:
                return "[" + ", ".join(repr(a) for a in items) + "]"
            return "[" + ",\n       ".join(show(row) for row in items) + "]"

        return f"array({show(self._items)}, dtype=object)"


class Figure:
    """A figure: ``fig.add_subplot``, ``fig.savefig``, ``fig.suptitle``, ..."""

    __slots__ = ("_state", "_real", "_axes", "_current", "_number", "_size", "_dpi",
                 "_specs")
    __adcli_public__ = ("add_subplot", "subplots", "savefig", "suptitle", "tight_layout",
                        "colorbar", "gca", "clf", "show", "subplots_adjust",
                        "set_size_inches", "axes", "number", "legend", "text")

    def __init__(self, state: PlotState, real, number: int, size: tuple, dpi: float) -> None:
        if not isinstance(state, PlotState):
            raise TorchTypeError("cannot create a Figure this way: use plt.figure()")
        self._state, self._real, self._number = state, _made(real), number
        self._size, self._dpi = size, dpi
        self._axes: list[Axes] = []
        self._current: Axes | None = None
        self._specs: dict = {}

    def __repr__(self) -> str:
        w, h = (round(v * self._dpi) for v in self._size)
        n = len(self._axes)
        return f"<Figure size {w}x{h} with {n} Axes>"

    @property
    def axes(self) -> list:
        return list(self._axes)

    @property
    def number(self) -> int:
        return self._number

    def _add(self, real) -> Axes:
        if len(self._axes) >= MAX_SUBPLOTS:
            raise LimitError(f"more than {MAX_SUBPLOTS} subplots in one figure")
        ax = Axes(self, real)
        self._axes.append(ax)
        self._current = ax
        return ax

    def gca(self) -> Axes:
        if self._current is None:
            return self.add_subplot(1, 1, 1)
        return self._current

    def add_subplot(self, *args, **kwargs):
        if len(args) == 1:
            code = _count(args[0], "add_subplot", "the subplot code", 999, 111)
            args = (code // 100, code // 10 % 10, code % 10)
        elif not args:
            args = (1, 1, 1)
        if len(args) != 3:
            raise TorchTypeError(f"add_subplot() takes 1 or 3 positional arguments but "
                                 f"{len(args)} were given")
        rows = _count(args[0], "add_subplot", "nrows", MAX_SUBPLOTS)
        cols = _count(args[1], "add_subplot", "ncols", MAX_SUBPLOTS)
        if rows * cols > MAX_SUBPLOTS:
            raise LimitError(f"a grid of {rows}x{cols} subplots is over the limit of "
                             f"{MAX_SUBPLOTS}")
        index = _count(args[2], "add_subplot", "index", rows * cols) if isinstance(
            args[2], int) else args[2]
        if not isinstance(index, int):
            raise TorchValueError(f"num must be an integer with 1 <= num <= {rows * cols}, "
                                  f"not {index!r}")
        kw = _kwargs(kwargs, "add_subplot", drop=("label",))
        key = (rows, cols, index)
        if key in self._specs and self._specs[key] in self._axes and not kw:
            self._current = self._specs[key]
            return self._current
        real = None
        if self._real is not None:
            real = self._state.call(self._real.add_subplot, rows, cols, index, **kw)
        ax = self._add(real)
        self._specs[key] = ax
        return ax

    def subplots(self, nrows=1, ncols=1, *, sharex=False, sharey=False, squeeze=True,
                 width_ratios=None, height_ratios=None):
        import numpy as np

        rows = _count(nrows, "subplots", "nrows", MAX_SUBPLOTS)
        cols = _count(ncols, "subplots", "ncols", MAX_SUBPLOTS)
        if rows * cols > MAX_SUBPLOTS:
            raise LimitError(f"a grid of {rows}x{cols} subplots is over the limit of "
                             f"{MAX_SUBPLOTS}")
        for name, value in (("sharex", sharex), ("sharey", sharey)):
            if not isinstance(value, bool | str):
                raise TorchTypeError(f"subplots(): {name} must be a bool or a str")
        options = {"sharex": sharex, "sharey": sharey}
        if width_ratios is not None:
            options["width_ratios"] = _array(width_ratios, "subplots").tolist()
        if height_ratios is not None:
            options["height_ratios"] = _array(height_ratios, "subplots").tolist()
        items = np.empty((rows, cols), dtype=object)
        if self._real is not None:
            reals = self._state.call(self._real.subplots, rows, cols, squeeze=False,
                                     **options)
            for i in range(rows):
                for j in range(cols):
                    items[i, j] = self._add(reals[i, j])
        else:
            for i in range(rows):
                for j in range(cols):
                    items[i, j] = self._add(None)
        if squeeze is not True and squeeze is not False:
            raise TorchTypeError("subplots(): squeeze must be a bool")
        if squeeze and rows * cols == 1:
            return items[0, 0]
        if squeeze and (rows == 1 or cols == 1):
            return AxesArray(items.ravel())
        return AxesArray(items)

    def savefig(self, fname, *, dpi=None, format=None, **kwargs):  # noqa: A002 - its name
        kw = _kwargs(kwargs, "savefig")
        bbox = kw.get("bbox_inches")
        if bbox not in (None, "tight"):
            raise TorchValueError("savefig(): bbox_inches must be 'tight' or None in adcli")
        self._state.save(self, fname, format, dpi, **kw)

    def suptitle(self, t, **kwargs):
        t = _text(t if isinstance(t, str) else str(t), "suptitle", "title")
        kw = _kwargs(kwargs, "suptitle")
        real = self._state.call(self._real.suptitle, t, **kw) if self._real else None
        return Artist(_TEXT, real)

    def text(self, x, y, s, **kwargs):
        args = (_number(x, "text", "x"), _number(y, "text", "y"), _text(s, "text"))
        kw = _kwargs(kwargs, "text")
        real = self._state.call(self._real.text, *args, **kw) if self._real else None
        return Artist(_TEXT, real)

    def legend(self, *args, **kwargs):
        values = [_kw_value(a, "legend", "labels") for a in args]
        kw = _kwargs(kwargs, "legend")
        real = self._state.call(self._real.legend, *values, **kw) if self._real else None
        return Artist("matplotlib.legend.Legend", real)

    def tight_layout(self, **kwargs):
        kw = _kwargs(kwargs, "tight_layout")
        if self._real is not None:
            self._state.call(self._real.tight_layout, **kw)

    def subplots_adjust(self, left=None, bottom=None, right=None, top=None, wspace=None,
                        hspace=None):
        values = {k: _number(v, "subplots_adjust", k) for k, v in (
            ("left", left), ("bottom", bottom), ("right", right), ("top", top),
            ("wspace", wspace), ("hspace", hspace)) if v is not None}
        if self._real is not None:
            self._state.call(self._real.subplots_adjust, **values)

    def set_size_inches(self, w, h=None):
        size = (w, h) if h is not None else w
        self._size, _ = _check_size(size, self._dpi, "set_size_inches")
        if self._real is not None:
            self._state.call(self._real.set_size_inches, *self._size)

    def colorbar(self, mappable=None, cax=None, ax=None, **kwargs):
        if cax is not None:
            raise TorchTypeError("colorbar(): cax is not supported by adcli; use ax")
        if mappable is None:
            mappable = self._state.mappable
        if mappable is None:
            raise TorchRuntimeError("No mappable was found to use for colorbar creation. "
                                    "First define a mappable such as an image (with imshow) "
                                    "or a contour set (with contourf).")
        if not isinstance(mappable, Artist):
            raise TorchTypeError(f"colorbar(): expected what imshow, contour or scatter "
                                 f"returned, not '{_type_name(mappable)}'")
        kw = _kwargs(kwargs, "colorbar")
        if ax is not None:
            if not isinstance(ax, Axes | AxesArray | list):
                raise TorchTypeError(f"colorbar(): ax must be an Axes, not "
                                     f"'{_type_name(ax)}'")
            kw["ax"] = _kw_value(ax, "colorbar", "ax")
        real = None
        if self._real is not None and mappable._real is not None:
            real = self._state.call(self._real.colorbar, mappable._real, **kw)
        return Artist("matplotlib.colorbar.Colorbar", real)

    def clf(self):
        if self._real is not None:
            self._state.call(self._real.clf)
        self._axes.clear()
        self._specs.clear()
        self._current = None

    def show(self, *args, **kwargs):
        """A figure's own show(): nothing (Agg cannot show); plt.show() saves."""


# ---- the pyplot and matplotlib module tables ---------------------------------------------
_ON_AXES = {  # pyplot name -> the method of the current axes
    "plot": "plot", "scatter": "scatter", "hist": "hist", "bar": "bar", "barh": "barh",
    "imshow": "imshow", "contour": "contour", "contourf": "contourf",
    "fill_between": "fill_between", "errorbar": "errorbar", "axhline": "axhline",
    "axvline": "axvline", "semilogx": "semilogx", "semilogy": "semilogy",
    "loglog": "loglog", "text": "text", "xlabel": "set_xlabel", "ylabel": "set_ylabel",
    "title": "set_title", "xlim": "set_xlim", "ylim": "set_ylim", "xscale": "set_xscale",
    "yscale": "set_yscale", "legend": "legend", "grid": "grid", "axis": "axis",
    "cla": "cla",
}


def _pyplot_function(state: PlotState, name: str, method: str):
    def call(*args, **kwargs):
        return getattr(state.gca(), method)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    return call


def make_pyplot(state: PlotState) -> dict:
    """The members of ``matplotlib.pyplot`` for one session."""

    def figure(num=None, figsize=None, dpi=None, *, facecolor=None, clear=False,
               layout=None, **kwargs):
        _kwargs(kwargs, "figure")
        if num is not None:
            if isinstance(num, Figure):
                state.current = num if num in state.figures else state.current
                return num
            n = _count(num, "figure", "num", 10**6)
            for fig in state.figures:
                if fig._number == n:
                    state.current = fig
                    if clear:
                        fig.clf()
                    return fig
            num = n
        if facecolor is not None:
            facecolor = _kw_value(facecolor, "figure", "facecolor")
        if layout is not None:
            layout = _text(layout, "figure", "layout")
        return state.new_figure(figsize, dpi, facecolor, layout, num)

    def subplots(nrows=1, ncols=1, *, sharex=False, sharey=False, squeeze=True,
                 width_ratios=None, height_ratios=None, figsize=None, dpi=None,
                 layout=None, **kwargs):
        _kwargs(kwargs, "subplots")
        fig = figure(figsize=figsize, dpi=dpi, layout=layout)
        axes = fig.subplots(nrows, ncols, sharex=sharex, sharey=sharey, squeeze=squeeze,
                            width_ratios=width_ratios, height_ratios=height_ratios)
        return fig, axes

    def subplot(*args, **kwargs):
        return state.gcf().add_subplot(*args, **kwargs)

    def gcf():
        return state.gcf()

    def gca():
        return state.gca()

    def savefig(fname, **kwargs):
        state.gcf().savefig(fname, **kwargs)

    def show(*args, block=None, **kwargs):
        state.drawing()
        state.show()

    def close(fig=None):
        if fig is None:
            if state.current is not None:
                state.close(state.current)
        elif fig == "all":
            for f in list(state.figures):
                state.close(f)
        elif isinstance(fig, Figure):
            state.close(fig)
        elif isinstance(fig, int) and not isinstance(fig, bool):
            for f in list(state.figures):
                if f._number == fig:
                    state.close(f)
        else:
            raise TorchTypeError("close() argument must be a Figure, an int, a string, "
                                 f"or None, not {_type_name(fig)}")

    def clf():
        state.gcf().clf()

    def suptitle(t, **kwargs):
        return state.gcf().suptitle(t, **kwargs)

    def tight_layout(**kwargs):
        state.gcf().tight_layout(**kwargs)

    def subplots_adjust(**kwargs):
        state.gcf().subplots_adjust(**kwargs)

    def colorbar(mappable=None, **kwargs):
        return state.gcf().colorbar(mappable, **kwargs)

    def xticks(ticks=None, labels=None, **kwargs):
        state.gca()._ticks("xticks", "x", ticks, labels, kwargs)

    def yticks(ticks=None, labels=None, **kwargs):
        state.gca()._ticks("yticks", "y", ticks, labels, kwargs)

    def nothing(*args, **kwargs):
        """ion, ioff, pause, draw: nothing to do without a window."""

    def use_style(style):
        if not isinstance(style, str | list | tuple):
            raise TorchTypeError(f"style.use(): a style name, not '{_type_name(style)}'")
        state.style = style  # accepted; adcli draws in matplotlib's default style

    from adcli.lang.names import Namespace

    table = {name: _pyplot_function(state, name, method) for name, method in _ON_AXES.items()}
    table.update(figure=figure, subplots=subplots, subplot=subplot, gcf=gcf, gca=gca,
                 savefig=savefig, show=show, close=close, clf=clf, suptitle=suptitle,
                 tight_layout=tight_layout, subplots_adjust=subplots_adjust,
                 colorbar=colorbar, xticks=xticks, yticks=yticks, rcParams=state.rc,
                 style=Namespace("matplotlib.style", {"use": use_style}))
    for name in ("ion", "ioff", "pause", "draw"):
        table[name] = _named(nothing, name)
    return table


def _named(fn, name: str):
    def call(*args, **kwargs):
        return fn(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    return call


def make_table(context) -> dict:
    """The ``matplotlib`` module of one session; ``table["pyplot"].members`` is
    ``matplotlib.pyplot``'s."""
    from adcli.lang.names import Namespace

    state = PlotState(context)
    pyplot = make_pyplot(state)

    def use(backend, *, force=True):
        _text(backend, "use", "backend")  # the backend is always Agg: accepted, unused

    return {"pyplot": Namespace("matplotlib.pyplot", pyplot), "use": use,
            "rcParams": state.rc, "style": pyplot["style"]}
