"""``tqdm``: progress bars over a program's loops, drawn on its stderr as tqdm draws them.

``from tqdm import tqdm, trange`` (and ``tqdm.auto``, ``tqdm.notebook``, ``tqdm.std``):
``tqdm(iterable, desc=..., total=..., leave=..., disable=..., ncols=..., unit=...,
unit_scale=..., mininterval=..., initial=..., postfix=..., ascii=..., file=...)`` yields
the iterable's items unchanged and redraws one line on stderr (``\\r``, at most every
``mininterval`` seconds, and when it closes), in tqdm 4's format::

    epoch 1:  40%|████      | 2/5 [00:01<00:01,  1.98it/s, loss=0.123]

A bar has ``update set_description set_description_str set_postfix set_postfix_str
refresh reset clear close display`` and ``n total desc``; ``tqdm.write(s)`` prints a line
on stdout as tqdm's does (clearing and redrawing the open bars around it), and a bar is a
context manager. ``disable=None`` disables it, since a program's stderr is not a
terminal here (``sys.stderr.isatty()`` is False). ``bar_format`` takes tqdm's field names
only (``{l_bar}{bar}{r_bar}``, ``{n_fmt}``, ``{rate_fmt}``, ...): no attribute or item
lookups in the format.

Only the clocks are read; the bar's text goes to the program's own stderr stream.
"""

from __future__ import annotations

import string as _string
import time as _time

from adcli.errors import TorchAttributeError, TorchKeyError, TorchTypeError, TorchValueError
from adcli.lang.pylib._common import PyType

_BLOCKS = " " + "".join(chr(c) for c in range(0x258F, 0x2587, -1))  # " ▏▎▍▌▋▊▉█"
_ASCII = " 123456789#"
_OPTIONS = frozenset((
    "iterable", "desc", "total", "leave", "file", "ncols", "mininterval", "maxinterval",
    "miniters", "ascii", "disable", "unit", "unit_scale", "dynamic_ncols", "smoothing",
    "bar_format", "initial", "position", "postfix", "unit_divisor", "write_bytes",
    "lock_args", "nrows", "colour", "delay", "gui"))
_FIELDS = frozenset((
    "l_bar", "bar", "r_bar", "n", "n_fmt", "total", "total_fmt", "percentage", "elapsed",
    "elapsed_s", "remaining", "remaining_s", "rate", "rate_fmt", "rate_noinv",
    "rate_noinv_fmt", "rate_inv", "rate_inv_fmt", "postfix", "unit", "desc"))


def format_interval(t: float) -> str:
    """Seconds as tqdm shows them: ``MM:SS``, or ``H:MM:SS`` past an hour."""
    mins, s = divmod(int(t), 60)
    h, m = divmod(mins, 60)
    return f"{h:d}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


def format_num(n) -> str:
    """A postfix number: three significant digits where that is shorter."""
    short = f"{n:.3g}".replace("e+0", "e+").replace("e-0", "e-")
    text = str(n)
    return short if len(short) < len(text) else text


def format_sizeof(num: float, suffix: str = "", divisor: float = 1000) -> str:
    """``unit_scale=True``: 1.23k, 45.6M, ... (three significant digits)."""
    for unit in ("", "k", "M", "G", "T", "P", "E", "Z"):
        if abs(num) < 999.5:
            if abs(num) < 99.95:
                if abs(num) < 9.995:
                    return f"{num:1.2f}{unit}{suffix}"
                return f"{num:2.1f}{unit}{suffix}"
            return f"{num:3.0f}{unit}{suffix}"
        num /= divisor
    return f"{num:3.1f}Y{suffix}"


def _check_bar_format(fmt) -> str:
    if not isinstance(fmt, str):
        raise TorchTypeError(f"bar_format must be a str, not {type(fmt).__name__}")
    for _, field, spec, _conv in _string.Formatter().parse(fmt):
        if field is None:
            continue
        if field not in _FIELDS:
            raise TorchKeyError(f"{field} (a bar_format field here is one of "
                                f"{', '.join(sorted(_FIELDS))})")
        if spec and "{" in spec:
            raise TorchValueError("bar_format: nested fields are not supported in adcli")
    return fmt


class TqdmBase:
    """A progress bar (``tqdm.std.tqdm``); each session has its own subclass, which knows
    the session's output streams."""

    __adcli_public__ = ("update", "close", "set_description", "set_description_str",
                        "set_postfix", "set_postfix_str", "refresh", "reset", "clear",
                        "display", "unpause", "write", "n", "total", "desc", "postfix",
                        "disable", "leave", "unit", "iterable", "format_dict", "initial")
    __adcli_class_public__ = ("write", "format_interval", "format_num", "format_sizeof")
    __slots__ = ("iterable", "desc", "total", "leave", "disable", "unit", "unit_scale",
                 "unit_divisor", "ncols", "mininterval", "ascii", "bar_format", "initial", "n",
                 "postfix", "_stream", "_start", "_last_print", "_last_len", "_closed")
    _context = None  # the session's RunContext (the subclass's)
    _open: list = []  # the session's open bars (the subclass's own list)

    def __init__(self, iterable=None, desc=None, total=None, leave=True, file=None,
                 ncols=None, mininterval=0.1, maxinterval=10.0, miniters=None, ascii=None,
                 disable=False, unit="it", unit_scale=False, dynamic_ncols=False,
                 smoothing=0.3, bar_format=None, initial=0, position=None, postfix=None,
                 unit_divisor=1000, write_bytes=False, lock_args=None, nrows=None,
                 colour=None, delay=0.0, gui=False, **kwargs) -> None:
        if kwargs:
            raise TorchKeyError(f"Unknown argument(s): {kwargs}")
        if disable is None:
            disable = True  # tqdm's "only on a terminal": a program's stderr is not one
        if total is None and iterable is not None:
            try:
                total = len(iterable)
            except Exception:  # noqa: BLE001 - no length: a bar without a total
                total = None
        if total is not None and not isinstance(total, int | float):
            raise TorchTypeError(f"total must be a number, not {type(total).__name__}")
        if total == float("inf"):
            total = None
        for name, value in (("ncols", ncols), ("initial", initial)):
            if value is not None and not isinstance(value, int | float):
                raise TorchTypeError(f"{name} must be a number, not {type(value).__name__}")
        if not isinstance(mininterval, int | float):
            raise TorchTypeError("mininterval must be a number")
        self.iterable = iterable
        self.desc = "" if desc is None else str(desc)
        self.total = total
        self.leave = leave
        self.disable = bool(disable)
        self.unit = str(unit)
        self.unit_scale = unit_scale
        self.unit_divisor = unit_divisor
        self.ncols = None if ncols is None else int(ncols)
        self.mininterval = float(mininterval)
        self.ascii = ascii
        self.bar_format = None if bar_format is None else _check_bar_format(bar_format)
        self.initial = initial
        self.n = initial
        self.postfix = None
        self._stream = self._pick_stream(file)
        self._start = self._last_print = _time.monotonic()
        self._last_len = 0
        self._closed = False
        if postfix is not None:
            self.set_postfix(postfix, refresh=False) if isinstance(postfix, dict) \
                else self.set_postfix_str(str(postfix), refresh=False)
        if not self.disable:
            type(self)._open.append(self)
            if delay <= 0:
                self.refresh()

    def _pick_stream(self, file):
        from adcli.lang.pylib.sysmod import Stream

        if file is None:
            return self._context.write_err
        if isinstance(file, Stream):
            return file.write
        raise TorchTypeError("tqdm(file=...) takes sys.stdout or sys.stderr in adcli")

    # ---- the line ------------------------------------------------------------------------
    @property
    def format_dict(self) -> dict:
        elapsed = _time.monotonic() - self._start
        done = self.n - self.initial
        rate = done / elapsed if elapsed > 0 and done > 0 else None
        return {"n": self.n, "total": self.total, "elapsed": elapsed, "rate": rate,
                "prefix": self.desc, "postfix": self.postfix, "unit": self.unit}

    def _fmt_n(self, n) -> str:
        if self.unit_scale:
            return format_sizeof(n, divisor=self.unit_divisor)
        return str(n)

    def __str__(self) -> str:
        d = self.format_dict
        n, total, elapsed, rate = d["n"], d["total"], d["elapsed"], d["rate"]
        unit = self.unit
        inv = 1 / rate if rate else None
        if rate is None:
            noinv = f"?{unit}/s"
        else:
            noinv = (format_sizeof(rate, divisor=self.unit_divisor) if self.unit_scale
                     else f"{rate:5.2f}") + f"{unit}/s"
        inv_fmt = "?s/" + unit if inv is None else f"{inv:5.2f}s/{unit}"
        rate_fmt = inv_fmt if inv is not None and inv > 1 else noinv
        postfix = f", {self.postfix}" if self.postfix else ""
        prefix = self.desc
        if prefix:
            prefix = prefix if prefix.endswith(": ") else prefix + ": "
        fields = {"n": n, "n_fmt": self._fmt_n(n), "elapsed": format_interval(elapsed),
                  "elapsed_s": elapsed, "rate": rate, "rate_fmt": rate_fmt,
                  "rate_noinv": rate, "rate_noinv_fmt": noinv, "rate_inv": inv,
                  "rate_inv_fmt": inv_fmt, "postfix": postfix, "unit": unit,
                  "desc": self.desc, "total": total}
        if total is None or total <= 0 and n > 0 or total and n > total:
            fields.update(total_fmt="?", total=None, percentage=0, remaining="?",
                          remaining_s=None, l_bar=prefix, bar="", r_bar="")
            if self.bar_format is not None:
                return self.bar_format.format(**fields)
            return f"{prefix}{fields['n_fmt']}{unit} [{fields['elapsed']}, {rate_fmt}{postfix}]"
        frac = n / total if total else 1.0
        left = (total - n) / rate if rate else None
        remaining = format_interval(left) if left is not None else "?"
        l_bar = f"{prefix}{frac * 100:3.0f}%|"
        total_fmt = self._fmt_n(total)
        r_bar = f"| {fields['n_fmt']}/{total_fmt} [{fields['elapsed']}<{remaining}, " \
                f"{rate_fmt}{postfix}]"
        fields.update(total_fmt=total_fmt, percentage=frac * 100, remaining=remaining,
                      remaining_s=left, l_bar=l_bar, r_bar=r_bar)
        width = 10
        if self.ncols is not None:
            width = max(1, self.ncols - len(l_bar) - len(r_bar))
        charset = _ASCII if self.ascii is True else (
            " " + self.ascii if isinstance(self.ascii, str) and self.ascii else _BLOCKS)
        syms = len(charset) - 1
        full, part = divmod(int(frac * width * syms), syms)
        bar = charset[-1] * full
        if full < width:
            bar += charset[part] + charset[0] * (width - full - 1)
        fields["bar"] = bar
        if self.bar_format is not None:
            return self.bar_format.format(**fields)
        return l_bar + bar + r_bar

    def _draw(self, text: str) -> None:
        pad = " " * max(self._last_len - len(text), 0)
        self._stream("\r" + text + pad)
        self._last_len = len(text)

    # ---- what a program calls -----------------------------------------------------------
    def __iter__(self):
        if self.iterable is None:
            raise TorchTypeError("'NoneType' object is not iterable")
        if self.disable:
            yield from self.iterable
            return
        try:
            for item in self.iterable:
                yield item
                self.update(1)
        finally:
            self.close()

    def __len__(self) -> int:
        if self.total is not None:
            return int(self.total)
        if self.iterable is None:
            raise TorchTypeError("object of type 'tqdm' has no len()")
        return len(self.iterable)

    def __bool__(self) -> bool:
        return True

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> bool:
        self.close()
        return False

    def update(self, n=1):
        if not isinstance(n, int | float):
            raise TorchTypeError(f"update() takes a number, not {type(n).__name__}")
        self.n += n
        if not self.disable and not self._closed:
            now = _time.monotonic()
            if now - self._last_print >= self.mininterval:
                self.refresh()
                self._last_print = now
                return True
        return None

    def refresh(self, nolock=False, lock_args=None):
        if not self.disable and not self._closed:
            self._draw(str(self))
        return True

    def display(self, msg=None, pos=None):
        if not self.disable:
            self._draw(str(self) if msg is None else str(msg))
        return True

    def clear(self, nolock=False):
        if not self.disable:
            self._stream("\r" + " " * self._last_len + "\r")
            self._last_len = 0

    def unpause(self):
        self._last_print = _time.monotonic()

    def reset(self, total=None):
        self.n = 0
        if total is not None:
            self.total = total
        self._start = self._last_print = _time.monotonic()
        self.refresh()

    def set_description(self, desc=None, refresh=True):
        self.desc = f"{desc}: " if desc else ""
        if refresh:
            self.refresh()

    def set_description_str(self, desc=None, refresh=True):
        self.desc = str(desc) if desc else ""
        if refresh:
            self.refresh()

    def set_postfix(self, ordered_dict=None, refresh=True, **kwargs):
        items = dict(ordered_dict) if ordered_dict is not None else {}
        for key in sorted(kwargs):
            items[key] = kwargs[key]
        parts = []
        for key, value in items.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                value = format_num(value)
            elif not isinstance(value, str):
                value = str(value)
            parts.append(f"{str(key).strip()}={value.strip()}")
        self.postfix = ", ".join(parts)
        if refresh:
            self.refresh()

    def set_postfix_str(self, s="", refresh=True):
        self.postfix = str(s)
        if refresh:
            self.refresh()

    def close(self):
        if self._closed:
            return
        if not self.disable:
            if self.leave:
                self._draw(str(self))
                self._stream("\n")
            else:
                self.clear()
            bars = type(self)._open
            if self in bars:
                bars.remove(self)
        self._closed = True

    @classmethod
    def write(cls, s, file=None, end="\n", nolock=False):
        """A line on stdout (or ``file``), the open bars cleared before and redrawn after."""
        from adcli.lang.pylib.sysmod import Stream

        if file is not None and not isinstance(file, Stream):
            raise TorchTypeError("tqdm.write(file=...) takes sys.stdout or sys.stderr in adcli")
        bars = list(cls._open)
        for bar in bars:
            bar.clear()
        text = str(s) + str(end)
        if file is None:
            cls._context.write_out(text)
        else:
            file.write(text)
        for bar in bars:
            bar.refresh()

    format_interval = staticmethod(format_interval)
    format_num = staticmethod(format_num)
    format_sizeof = staticmethod(format_sizeof)


class TqdmType(PyType):
    """``tqdm`` as a script sees the class: it constructs a bar, ``isinstance`` works, and
    ``tqdm.write`` / ``tqdm.format_interval`` / ... are its members."""

    __slots__ = ()

    def class_attribute(self, name: str):
        if name in self._cls.__adcli_class_public__:
            return getattr(self._cls, name)
        raise TorchAttributeError(f"type object 'tqdm' has no attribute '{name}'")


def make_table(context) -> dict:
    """The ``tqdm`` module of one session; ``auto``, ``notebook`` and ``std`` are the same
    bar (a notebook here prints text, as tqdm's console bar does)."""
    from adcli.lang.names import Namespace

    cls = type("tqdm", (TqdmBase,), {"_context": context, "_open": [], "__slots__": (),
                                     "__module__": "tqdm.std", "__qualname__": "tqdm"})
    pytype = cls._adcli_pytype = TqdmType(cls, "tqdm.std.tqdm", cls)

    def trange(*args, **kwargs):
        return cls(range(*args), **kwargs)

    members = {"tqdm": pytype, "trange": trange}
    table = dict(members)
    for sub in SUBMODULES:
        table[sub] = Namespace(f"tqdm.{sub}", dict(members))
    return table


SUBMODULES = ("auto", "notebook", "std", "autonotebook")
