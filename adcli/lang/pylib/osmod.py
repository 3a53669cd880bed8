"""``os`` and ``os.path`` over the sandbox's in-memory file system.

A program reaches no real file, directory or environment variable. What exists is what
the program itself made during its run:

- files: the paths ``torch.save`` wrote (adcli/engine/serialization.py keeps the saved
  objects in memory under the path given);
- directories: ``/``, the working directory and its parents, what ``os.makedirs`` /
  ``os.mkdir`` made, and the parents of every saved file and made directory (adcli's
  ``torch.save`` needs no existing directory, so a directory it saved into exists);
- ``os.environ``: a mapping that starts empty (no variable of the host is visible);
  a program may set and read its own variables, which nothing else sees.

The working directory is the fixed virtual path ``/sandbox`` (``os.getcwd()``,
``os.path.abspath``), the script's ``__file__`` is ``/sandbox/<its name>`` (as
``python prog.py`` run in its directory, moved there), and ``~`` expands to it as well:
the host's paths are not shown, and paths made from ``__file__`` stay in the virtual tree.
``os.path``'s string functions (``join``, ``splitext``, ...) are Python's ``posixpath``
ones, which touch nothing; those that would ask the system (``abspath``, ``realpath``,
``expanduser``, ``exists``, ...) answer from the virtual file system instead.
Errors are CPython's (``FileNotFoundError: [Errno 2] No such file or directory: 'x'``).
``open`` is not a builtin of the sandbox.
"""

from __future__ import annotations

import errno as _errno
import os as _os
import posixpath as _pp

from adcli.engine import devices as _devices
from adcli.errors import AdcliError, TorchKeyError, TorchTypeError, TorchValueError
from adcli.lang.pyformat import check_size
from adcli.lang.pylib._common import check_objects, type_name

CWD = "/sandbox"
HOME = CWD
_CPU_COUNT = _os.cpu_count()


class _Module(_devices.Namespace):
    """``os`` / ``os.path``: a namespace that prints as CPython's frozen modules."""

    __slots__ = ("shown",)

    def __init__(self, name: str, members: dict, shown: str) -> None:
        super().__init__(name, members)
        self.shown = shown

    def __repr__(self) -> str:
        return f"<module '{self.shown}' (frozen)>"


# ---- errors ------------------------------------------------------------------------------
class TorchOSError(AdcliError, OSError):
    kind = "OSError"


class TorchFileExistsError(AdcliError, FileExistsError):
    kind = "FileExistsError"


class TorchIsADirectoryError(AdcliError, IsADirectoryError):
    kind = "IsADirectoryError"


class TorchNotADirectoryError(AdcliError, NotADirectoryError):
    kind = "NotADirectoryError"


def _file_not_found():
    from adcli.engine.serialization import TorchFileNotFoundError

    return TorchFileNotFoundError


_ERRORS = {
    _errno.ENOENT: (_file_not_found, FileNotFoundError),
    _errno.EEXIST: (lambda: TorchFileExistsError, FileExistsError),
    _errno.EISDIR: (lambda: TorchIsADirectoryError, IsADirectoryError),
    _errno.ENOTDIR: (lambda: TorchNotADirectoryError, NotADirectoryError),
}


def _os_error(code: int, path) -> AdcliError:
    """CPython's error for ``code`` on ``path``: ``[Errno 2] No such file or directory:
    'x'``; ``except OSError as e`` sees ``e.errno`` and ``e.filename`` as CPython's."""
    make, base = _ERRORS.get(code, (lambda: TorchOSError, OSError))
    path = _pathlike(path)
    value = base(code, _os.strerror(code), path)
    err = make()(str(value))
    err._script_value = value
    return err


# ---- paths -------------------------------------------------------------------------------
def _fs_type_error(fn: str, value) -> TorchTypeError:
    return TorchTypeError(f"{fn}: path should be string, bytes, os.PathLike or integer, not "
                          f"{type_name(value)}")


def _pathlike(value):
    """A ``pathlib`` path as its str (CPython's ``os.fspath``); anything else as it is."""
    from adcli.lang.pylib import pathlibmod

    if isinstance(value, pathlibmod.PurePath):
        return str(value)
    return value


def _check_path(value, fn: str | None = None) -> str:
    """A path argument as a str (bytes decoded as Python does), a ``pathlib`` path's str;
    CPython's TypeError for anything else (a script object's ``__fspath__`` is not
    called)."""
    value = _pathlike(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bytes):
        return bytes(value).decode("utf-8", "surrogateescape")
    if fn is None:
        raise TorchTypeError(f"expected str, bytes or os.PathLike object, not "
                             f"{type_name(value)}")
    raise _fs_type_error(fn, value)


PATH_MAX, NAME_MAX = 4096, 255  # Linux's: a longer path is ENAMETOOLONG


def _absolute(path: str) -> str:
    return _pp.normpath(_pp.join(CWD, path))


def _too_long(path: str) -> bool:
    """A path Linux refuses (File name too long): the tree holds none, which also bounds
    the work of walking a path's parents."""
    return len(path) >= PATH_MAX or any(len(part) > NAME_MAX for part in path.split("/"))


def _checked(path: str, shown) -> str:
    if _too_long(path) or _too_long(_absolute(path)):
        raise _os_error(_errno.ENAMETOOLONG, shown)
    return path


def _ancestors(path: str):
    while True:
        parent = _pp.dirname(path)
        if parent == path:
            return
        yield parent
        path = parent


class _Tree:
    """The virtual file system's view of the run's store: absolute normalized paths."""

    def __init__(self) -> None:
        from adcli.engine.serialization import store

        self.saved, self.made = store()

    def files(self) -> set:
        return {a for a in (_absolute(k) for k in self.saved if isinstance(k, str)
                            and len(k) < PATH_MAX) if not _too_long(a)}

    def dirs(self) -> set:
        out = {"/", CWD, *_ancestors(CWD)}
        for p in (*self.made, *self.files()):
            if p in self.made:
                out.add(p)
            for a in _ancestors(p):
                if a in out:
                    break
                out.add(a)
        return out

    def is_file(self, path: str) -> bool:
        return bool(path) and not _too_long(path) and _absolute(path) in self.files()

    def is_dir(self, path: str) -> bool:
        return bool(path) and not _too_long(path) and _absolute(path) in self.dirs()

    def children(self, path: str) -> list:
        where = _absolute(path)
        names = {_pp.basename(p) for p in self.files() | self.dirs()
                 if p != where and _pp.dirname(p) == where}
        return sorted(names)


def _text_result(text):
    check_size(len(text))
    return text


def _pure(fn, name: str):
    """A ``posixpath`` string function: its results and errors, for str/bytes paths."""

    def call(*args):
        args = tuple(_pathlike(a) for a in args)
        for i, a in enumerate(args):
            if not isinstance(a, str | bytes):
                if name == "join" and i:
                    raise TorchTypeError("join() argument must be str, bytes, or os.PathLike "
                                         f"object, not '{type_name(a)}'")
                raise TorchTypeError("expected str, bytes or os.PathLike object, not "
                                     f"{type_name(a)}")
        try:
            out = fn(*args)
        except TypeError as e:
            raise TorchTypeError(str(e)) from None
        except ValueError as e:
            raise TorchValueError(str(e)) from None
        if isinstance(out, str | bytes):
            check_size(len(out))
        elif isinstance(out, tuple):
            check_size(sum(map(len, out)))
        return out

    call.__name__ = call.__qualname__ = name
    return call


def _join(a, *p):
    check_objects(len(p), "os.path.join")
    check_size(sum(len(x) for x in (a, *p) if isinstance(x, str | bytes)))
    return _pure(_pp.join, "join")(a, *p)


def _expanduser(path):
    text = _check_path(path)
    if not text.startswith("~"):
        return path
    i = text.find("/", 1)
    i = len(text) if i < 0 else i
    if i != 1:  # ~user: no user database in the sandbox, left as it is (CPython does so)
        return path
    out = HOME + text[i:]
    return out.encode("utf-8", "surrogateescape") if isinstance(path, bytes) else out


def _abspath(path):
    text = _check_path(path)
    out = _text_result(_pp.normpath(_pp.join(CWD, text)))
    return out.encode("utf-8", "surrogateescape") if isinstance(path, bytes) else out


def _relpath(path, start=None):
    if not path:
        raise TorchValueError("no path specified")
    text = _abspath(_check_path(path))
    base = _abspath(_check_path(start)) if start is not None else CWD
    return _text_result(_pp.relpath(text, base))


def _commonprefix(m):
    if not isinstance(m, list | tuple):
        raise TorchTypeError("os.path.commonprefix() takes a list or tuple of paths in adcli")
    return _text_result(_pure(lambda *a: _pp.commonprefix(list(a)), "commonprefix")(*m))


def make_table(context=None) -> dict:
    def tree() -> _Tree:
        return _Tree()

    def _query(fn: str, test):
        def query(path):
            path = _pathlike(path)
            if isinstance(path, bool) or not isinstance(path, int | str | bytes):
                raise _fs_type_error("stat", path)
            if isinstance(path, int):
                return False  # a file descriptor: the sandbox has none open
            return test(tree(), _check_path(path, "stat"))

        query.__name__ = query.__qualname__ = fn
        return query

    exists = _query("exists", lambda t, p: t.is_file(p) or t.is_dir(p))
    isfile = _query("isfile", lambda t, p: t.is_file(p))
    isdir = _query("isdir", lambda t, p: t.is_dir(p))

    def _record_dir(t: _Tree, where: str) -> None:
        """``where`` and its parents, made (a parent stays when what made it goes)."""
        fixed = {"/", CWD, *_ancestors(CWD)}
        new = [p for p in (where, *_ancestors(where)) if p not in fixed and p not in t.made]
        check_objects(len(t.made) + len(new), "os.makedirs")
        t.made.update(new)

    def makedirs(name, mode=0o777, exist_ok=False):
        text = _checked(_check_path(name, "makedirs"), name)
        t = tree()
        where = _absolute(text)
        if not text or t.is_file(text):
            raise _os_error(_errno.ENOENT if not text else _errno.EEXIST, name)
        files = t.files()
        for a in _ancestors(where):
            if a in files:
                raise _os_error(_errno.ENOTDIR, name)
        if t.is_dir(text):
            if not exist_ok:
                raise _os_error(_errno.EEXIST, name)
            return
        _record_dir(t, where)

    def mkdir(path, mode=0o777, *, dir_fd=None):
        text = _checked(_check_path(path, "mkdir"), path)
        t = tree()
        if not text:
            raise _os_error(_errno.ENOENT, path)
        if t.is_file(text) or t.is_dir(text):
            raise _os_error(_errno.EEXIST, path)
        where = _absolute(text)
        parent = _pp.dirname(where)
        if t.is_file(parent):
            raise _os_error(_errno.ENOTDIR, path)
        if not t.is_dir(parent):
            raise _os_error(_errno.ENOENT, path)
        _record_dir(t, where)

    def listdir(path="."):
        text = _checked(_check_path(path, "listdir"), path)
        t = tree()
        if t.is_file(text):
            raise _os_error(_errno.ENOTDIR, path)
        if not t.is_dir(text):
            raise _os_error(_errno.ENOENT, path)
        return t.children(text)

    def remove(path, *, dir_fd=None):
        text = _checked(_check_path(path, "remove"), path)
        t = tree()
        if t.is_dir(text):
            raise _os_error(_errno.EISDIR, path)
        if not t.is_file(text):
            raise _os_error(_errno.ENOENT, path)
        where = _absolute(text)
        for key in [k for k in t.saved if isinstance(k, str) and _absolute(k) == where]:
            del t.saved[key]
        _record_dir(t, _pp.dirname(where))

    def rmdir(path, *, dir_fd=None):
        text = _checked(_check_path(path, "rmdir"), path)
        t = tree()
        if t.is_file(text):
            raise _os_error(_errno.ENOTDIR, path)
        if not t.is_dir(text):
            raise _os_error(_errno.ENOENT, path)
        where = _absolute(text)
        if t.children(text):
            raise _os_error(_errno.ENOTEMPTY, path)
        if where not in t.made:  # the working directory or one of its parents
            raise _os_error(_errno.EBUSY, path)
        t.made.discard(where)

    def rename(src, dst, *, src_dir_fd=None, dst_dir_fd=None):
        a = _checked(_check_path(src, "rename"), src)
        b = _checked(_check_path(dst, "rename"), src)
        t = tree()
        if not t.is_file(a):
            if t.is_dir(a):
                raise _os_error(_errno.EXDEV, src)  # directories stay where they are
            raise _os_error(_errno.ENOENT, src)
        if t.is_dir(b):
            raise _os_error(_errno.EISDIR, src)
        if not t.is_dir(_pp.dirname(_absolute(b))):
            raise _os_error(_errno.ENOENT, src)
        where, target = _absolute(a), _absolute(b)
        obj = None
        for key in [k for k in t.saved if isinstance(k, str) and _absolute(k) in
                    (where, target)]:
            value = t.saved.pop(key)
            if _absolute(key) == where:
                obj = value
        t.saved[b] = obj
        _record_dir(t, _pp.dirname(where))

    def walk(top, topdown=True, onerror=None, followlinks=False):
        text = _check_path(top)
        t = tree()
        if not t.is_dir(text):
            return
        stack = [text]
        while stack:
            here = stack.pop()
            names = t.children(here)
            dirnames = [n for n in names if t.is_dir(_pp.join(here, n))]
            filenames = [n for n in names if n not in dirnames]
            yield here, dirnames, filenames
            stack.extend(_pp.join(here, n) for n in reversed(dirnames))

    def getcwd():
        return CWD

    def getenv(key, default=None):
        return environ.get(key, default)

    def cpu_count():
        return _CPU_COUNT

    environ = Environ()
    path = {
        "join": _join,
        "basename": _pure(_pp.basename, "basename"),
        "dirname": _pure(_pp.dirname, "dirname"),
        "split": _pure(_pp.split, "split"),
        "splitext": _pure(_pp.splitext, "splitext"),
        "splitdrive": _pure(_pp.splitdrive, "splitdrive"),
        "normpath": _pure(_pp.normpath, "normpath"),
        "normcase": _pure(_pp.normcase, "normcase"),
        "isabs": _pure(_pp.isabs, "isabs"),
        "commonprefix": _commonprefix,
        "abspath": _abspath,
        "realpath": _abspath,
        "relpath": _relpath,
        "expanduser": _expanduser,
        "exists": exists,
        "lexists": exists,
        "isfile": isfile,
        "isdir": isdir,
        "islink": lambda p: (_query("islink", lambda t, q: False))(p),
        "ismount": lambda p: (_query("ismount", lambda t, q: _absolute(q) == "/"))(p),
        "sep": "/", "altsep": None, "extsep": ".", "pathsep": ":", "curdir": ".",
        "pardir": "..", "defpath": "/bin:/usr/bin", "devnull": "/dev/null",
    }
    return {
        "path": _Module("os.path", path, "posixpath"),
        "getcwd": getcwd,
        "makedirs": makedirs,
        "mkdir": mkdir,
        "listdir": listdir,
        "remove": remove,
        "unlink": remove,
        "rmdir": rmdir,
        "rename": rename,
        "replace": rename,
        "walk": walk,
        "environ": environ,
        "getenv": getenv,
        "cpu_count": cpu_count,
        "sep": "/", "altsep": None, "extsep": ".", "pathsep": ":", "linesep": "\n",
        "curdir": ".", "pardir": "..", "defpath": "/bin:/usr/bin", "devnull": "/dev/null",
        "name": "posix",
    }


# ---- os.environ ----------------------------------------------------------------------------
def _env_str(value) -> str:
    if not isinstance(value, str):
        raise TorchTypeError(f"str expected, not {type_name(value)}")
    return str(value)


class Environ:
    """``os.environ``: the program's own variables (none of the host's), str to str."""

    __slots__ = ("_data",)
    __adcli_public__ = frozenset(("get", "keys", "values", "items", "setdefault", "pop",
                                  "update", "copy", "clear"))

    def __init__(self) -> None:
        self._data: dict = {}

    def __getitem__(self, key):
        k = _env_str(key)
        if k not in self._data:
            raise TorchKeyError(key)
        return self._data[k]

    def __setitem__(self, key, value) -> None:
        k, v = _env_str(key), _env_str(value)
        if k not in self._data:
            check_objects(len(self._data) + 1, "os.environ")
        self._data[k] = v

    def __delitem__(self, key) -> None:
        k = _env_str(key)
        if k not in self._data:
            raise TorchKeyError(key)
        del self._data[k]

    def __contains__(self, key) -> bool:
        return _env_str(key) in self._data

    def __iter__(self):
        return iter(list(self._data))

    def __len__(self) -> int:
        return len(self._data)

    def __eq__(self, other) -> bool:
        return isinstance(other, Environ) and other._data == self._data or (
            isinstance(other, dict) and other == self._data)

    __hash__ = None

    def get(self, key, default=None):
        return self._data.get(_env_str(key), default)

    def keys(self):
        return self._data.keys()

    def values(self):
        return self._data.values()

    def items(self):
        return self._data.items()

    def setdefault(self, key, default=None):
        if key not in self:
            self[key] = default
        return self[key]

    _MISSING = object()

    def pop(self, key, default=_MISSING):
        k = _env_str(key)
        if k in self._data:
            return self._data.pop(k)
        if default is Environ._MISSING:
            raise TorchKeyError(key)
        return default

    def update(self, other=(), **kw) -> None:
        if isinstance(other, Environ | dict):
            pairs = list(other.items())
        elif isinstance(other, list | tuple):
            pairs = [tuple(p) for p in other if isinstance(p, tuple | list) and len(p) == 2]
            if len(pairs) != len(other):
                raise TorchTypeError("os.environ.update() takes a dict or a list of pairs "
                                     "in adcli")
        else:
            raise TorchTypeError(f"'{type_name(other)}' object is not iterable")
        for k, v in [*pairs, *kw.items()]:
            self[k] = v

    def copy(self) -> dict:
        return dict(self._data)

    def clear(self) -> None:
        self._data.clear()

    def __repr__(self) -> str:
        inner = ", ".join(f"{k!r}: {v!r}" for k, v in self._data.items())
        return f"environ({{{inner}}})"


def script_path(filename: str) -> str:
    """``__file__``: the script's name in the virtual working directory."""
    return _pp.join(CWD, _pp.basename(filename.replace("\\", "/")))


def module_of(dotted: str, members: dict):
    """The namespace ``import os`` / ``import os.path as p`` binds."""
    return _Module(dotted, members, "posixpath" if dotted == "os.path" else "os")
