"""``pathlib``: ``PurePath`` / ``PurePosixPath`` / ``Path`` (a ``PosixPath``) over the
sandbox's virtual file system (adcli/lang/pylib/osmod.py).

The string operations are CPython 3.11's (``/``, ``name``, ``stem``, ``suffix``,
``parents``, ``with_suffix``, ...), written here over ``posixpath`` (no host ``pathlib``
object is made). The queries and changes of the file system (``exists``, ``mkdir``,
``iterdir``, ``glob``, ``unlink``, ...) go to the ``os`` functions of the virtual tree:
no real file is reached. ``Path.cwd()`` and ``Path.home()`` are ``/sandbox``. A path is
``os.PathLike`` for the engine (``torch.save(obj, path)``/``torch.load(path)``) through
its host ``__fspath__``, which a script cannot reach.
"""

from __future__ import annotations

import fnmatch as _fnmatch

from adcli.errors import (
    LimitError,
    TorchAttributeError,
    TorchIndexError,
    TorchNotImplementedError,
    TorchTypeError,
    TorchValueError,
)
from adcli.lang.classes import MARK
from adcli.lang.pylib._common import PyType, check_objects, type_name

_PURE_NAMES = frozenset((
    "__init__", "__new__", "__repr__", "__str__", "__eq__", "__hash__", "__lt__", "__le__",
    "__gt__", "__ge__", "__truediv__", "__rtruediv__", "__bytes__",
    "name", "stem", "suffix", "suffixes", "parent", "parents", "parts", "root", "anchor",
    "drive", "with_suffix", "with_name", "with_stem", "joinpath", "as_posix", "is_absolute",
    "relative_to", "is_relative_to", "match", "is_reserved", "as_uri",
))
_PATH_NAMES = frozenset((
    "cwd", "home", "exists", "is_file", "is_dir", "is_symlink", "mkdir", "iterdir", "glob",
    "rglob", "unlink", "rmdir", "rename", "replace", "absolute", "resolve", "expanduser",
    "samefile",
))


def _os():
    from adcli.lang.library import shared_runtime

    return shared_runtime().modules["os"]


_MAX_CHARS = 4096  # Linux's PATH_MAX: no file of the tree has a longer path


def _parse(args) -> tuple:
    """(root, parts) of the joined arguments, as PurePosixPath parses them."""
    root, parts = "", []
    for a in args:
        if isinstance(a, PurePath):
            if a._root:
                root, parts = a._root, []
            parts += a._parts
            continue
        if not isinstance(a, str):
            raise TorchTypeError("expected str, bytes or os.PathLike object, not "
                                 f"{type_name(a)}")
        text = str(a)
        if len(text) > _MAX_CHARS:
            raise _too_long()
        if text.startswith("/"):
            root = "//" if text.startswith("//") and not text.startswith("///") else "/"
            parts = []
        parts += [p for p in text.split("/") if p and p != "."]
    if len(parts) > _MAX_CHARS // 2 or sum(map(len, parts)) + len(parts) > _MAX_CHARS:
        raise _too_long()
    return root, parts


def _too_long():
    return LimitError(f"a pathlib path longer than {_MAX_CHARS} characters (Linux's PATH_MAX)"
                      " is beyond adcli's bound")


class PurePath:
    """``pathlib.PurePath``: made as a ``PurePosixPath`` (the sandbox is POSIX)."""

    __slots__ = ("_root", "_parts")
    __module__ = "pathlib"
    locals()[MARK] = _PURE_NAMES

    def __new__(cls, *args):
        if cls is PurePath:
            cls = PurePosixPath
        elif cls is Path:
            cls = PosixPath
        self = object.__new__(cls)
        self._root, self._parts = _parse(args)
        return self

    def __init__(self, *args) -> None:
        pass

    @classmethod
    def _make(cls, root: str, parts: list):
        self = object.__new__(cls)
        self._root, self._parts = root, list(parts)
        return self

    def _cparts(self) -> list:
        return ([self._root] if self._root else []) + self._parts

    def __str__(self) -> str:
        return (self._root + "/".join(self._parts)) or "."

    def __fspath__(self) -> str:  # the engine's (torch.save/load), not a script's
        return str(self)

    def __bytes__(self) -> bytes:
        return str(self).encode("utf-8", "surrogateescape")

    def as_posix(self) -> str:
        return str(self)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    def __eq__(self, other):
        if not isinstance(other, PurePath):
            return NotImplemented
        return self._cparts() == other._cparts()

    def __hash__(self) -> int:
        return hash(tuple(self._cparts()))

    def _cmp(self, other, op: str):
        if not isinstance(other, PurePath):
            raise TorchTypeError(f"'{op}' not supported between instances of "
                                 f"'{type(self).__name__}' and '{type_name(other)}'")
        return self._cparts(), other._cparts()

    def __lt__(self, other):
        a, b = self._cmp(other, "<")
        return a < b

    def __le__(self, other):
        a, b = self._cmp(other, "<=")
        return a <= b

    def __gt__(self, other):
        a, b = self._cmp(other, ">")
        return a > b

    def __ge__(self, other):
        a, b = self._cmp(other, ">=")
        return a >= b

    def __truediv__(self, other):
        if not isinstance(other, str | PurePath):
            return NotImplemented
        return type(self)(self, other)

    def __rtruediv__(self, other):
        if not isinstance(other, str | PurePath):
            return NotImplemented
        return type(self)(other, self)

    def joinpath(self, *args):
        check_objects(len(args), "joinpath")
        return type(self)(self, *args)

    @property
    def drive(self) -> str:
        return ""

    @property
    def root(self) -> str:
        return self._root

    @property
    def anchor(self) -> str:
        return self._root

    @property
    def parts(self) -> tuple:
        return tuple(self._cparts())

    @property
    def name(self) -> str:
        return self._parts[-1] if self._parts else ""

    @property
    def suffix(self) -> str:
        name = self.name
        i = name.rfind(".")
        return name[i:] if 0 < i < len(name) - 1 else ""

    @property
    def suffixes(self) -> list:
        name = self.name
        if name.endswith("."):
            return []
        name = name.lstrip(".")
        return ["." + s for s in name.split(".")[1:]]

    @property
    def stem(self) -> str:
        name = self.name
        i = name.rfind(".")
        return name[:i] if 0 < i < len(name) - 1 else name

    @property
    def parent(self):
        if not self._parts:
            return self
        return self._make(self._root, self._parts[:-1])

    @property
    def parents(self):
        return _Parents(self)

    def with_name(self, name):
        if not self.name:
            raise TorchValueError(f"{self!r} has an empty name")
        if not isinstance(name, str):
            raise TorchTypeError("argument should be a str object or an os.PathLike object "
                                 f"returning str, not <class '{type_name(name)}'>")
        if not name or name == "." or "/" in name:
            raise TorchValueError(f"Invalid name {name!r}")
        return self._make(self._root, self._parts[:-1] + [name])

    def with_stem(self, stem):
        return self.with_name(stem + self.suffix)

    def with_suffix(self, suffix):
        if not isinstance(suffix, str):
            raise TorchTypeError(f"argument of type '{type_name(suffix)}' is not iterable")
        if "/" in suffix or (suffix and not suffix.startswith(".")) or suffix == ".":
            raise TorchValueError(f"Invalid suffix {suffix!r}")
        name = self.name
        if not name:
            raise TorchValueError(f"{self!r} has an empty name")
        old = self.suffix
        name = (name[:-len(old)] if old else name) + suffix
        return self._make(self._root, self._parts[:-1] + [name])

    def is_absolute(self) -> bool:
        return bool(self._root)

    def is_reserved(self) -> bool:
        return False

    def relative_to(self, *other):
        if not other:
            raise TorchTypeError("need at least one argument")
        base = type(self)(*other)
        mine, theirs = self._cparts(), base._cparts()
        if mine[:len(theirs)] != theirs or (not base._root) != (not self._root):
            raise TorchValueError(f"{str(self)!r} is not in the subpath of {str(base)!r} OR "
                                  "one path is relative and the other is absolute.")
        return self._make("", mine[len(theirs):])

    def is_relative_to(self, *other) -> bool:
        try:
            self.relative_to(*other)
        except TorchValueError:
            return False
        return True

    def match(self, pattern) -> bool:
        if not isinstance(pattern, str):
            raise TorchTypeError("match() takes a str pattern in adcli")
        pat = type(self)(pattern)
        if not pat._cparts():
            raise TorchValueError("empty pattern")
        mine, theirs = self._cparts(), pat._cparts()
        if pat._root and len(mine) != len(theirs):
            return False
        if len(theirs) > len(mine):
            return False
        return all(_fnmatch.fnmatchcase(a, b) for a, b in zip(reversed(mine),
                                                              reversed(theirs)))

    def as_uri(self) -> str:
        if not self._root:
            raise TorchValueError("relative path can't be expressed as a file URI")
        from urllib.parse import quote_from_bytes

        return "file://" + quote_from_bytes(bytes(self))


class PurePosixPath(PurePath):
    __slots__ = ()
    __module__ = "pathlib"
    locals()[MARK] = frozenset()


class Path(PurePath):
    """``pathlib.Path``: a ``PosixPath`` on the virtual file system."""

    __slots__ = ()
    __module__ = "pathlib"
    locals()[MARK] = _PATH_NAMES

    @classmethod
    def cwd(cls):
        return cls(_os()["getcwd"]())

    @classmethod
    def home(cls):
        from adcli.lang.pylib.osmod import HOME

        return cls(HOME)

    def exists(self) -> bool:
        return _os()["path"].members["exists"](str(self))

    def is_file(self) -> bool:
        return _os()["path"].members["isfile"](str(self))

    def is_dir(self) -> bool:
        return _os()["path"].members["isdir"](str(self))

    def is_symlink(self) -> bool:
        return False

    def mkdir(self, mode=0o777, parents=False, exist_ok=False):
        os = _os()
        try:
            os["mkdir"](str(self))
        except FileNotFoundError:
            if not parents or self.parent == self:
                raise
            self.parent.mkdir(parents=True, exist_ok=True)
            self.mkdir(mode, parents=False, exist_ok=exist_ok)
        except OSError:
            if not exist_ok or not self.is_dir():
                raise

    def iterdir(self):
        names = _os()["listdir"](str(self))
        return iter([self._child(n) for n in names])

    def _child(self, name: str):
        return self._make(self._root, self._parts + [name])

    def glob(self, pattern):
        return iter(self._glob(pattern, recursive=False))

    def rglob(self, pattern):
        return iter(self._glob(pattern, recursive=True))

    def _glob(self, pattern, recursive: bool) -> list:
        if not isinstance(pattern, str):
            raise TorchTypeError("glob() takes a str pattern in adcli")
        if not pattern:
            raise TorchValueError(f"Unacceptable pattern: {pattern!r}")
        if pattern.startswith("/"):
            raise TorchNotImplementedError("Non-relative patterns are unsupported")
        pat = [p for p in pattern.split("/") if p and p != "."]
        if recursive:
            pat = ["**", *pat]
        os = _os()
        isdir = os["path"].members["isdir"]
        if not isdir(str(self)):
            return []
        found: list = []
        seen: set = set()

        def walk(base, rest: list) -> None:
            if not rest:
                if str(base) not in seen:
                    seen.add(str(base))
                    found.append(base)
                    check_objects(len(found), "Path.glob")
                return
            head, tail = rest[0], rest[1:]
            if head == "**":
                stack = [base]
                dirs = []
                while stack:
                    d = stack.pop()
                    dirs.append(d)
                    check_objects(len(dirs), "Path.glob")
                    kids = [d._child(n) for n in os["listdir"](str(d))]
                    stack.extend(reversed([k for k in kids if isdir(str(k))]))
                for d in dirs:
                    walk(d, tail)
                return
            if head == "..":
                walk(base._child(".."), tail)
                return
            names = os["listdir"](str(base))
            for n in names:
                if _fnmatch.fnmatchcase(n, head) and (not n.startswith(".") or
                                                       head.startswith(".")):
                    child = base._child(n)
                    if tail and not isdir(str(child)):
                        continue
                    walk(child, tail)

        walk(self, pat)
        return found

    def unlink(self, missing_ok=False):
        try:
            _os()["remove"](str(self))
        except FileNotFoundError:
            if not missing_ok:
                raise

    def rmdir(self):
        _os()["rmdir"](str(self))

    def rename(self, target):
        _os()["rename"](str(self), str(target) if isinstance(target, PurePath) else target)
        return type(self)(target)

    replace = rename

    def absolute(self):
        if self._root:
            return self
        return type(self)(_os()["getcwd"](), self)

    def resolve(self, strict=False):
        return type(self)(_os()["path"].members["abspath"](str(self)))

    def expanduser(self):
        return type(self)(_os()["path"].members["expanduser"](str(self)))

    def samefile(self, other_path) -> bool:
        other = other_path if isinstance(other_path, Path) else type(self)(other_path)
        for p in (self, other):
            if not p.exists():
                from adcli.lang.pylib.osmod import _errno, _os_error

                raise _os_error(_errno.ENOENT, str(p))
        return self.resolve() == other.resolve()


class PosixPath(Path, PurePosixPath):
    __slots__ = ()
    __module__ = "pathlib"
    locals()[MARK] = frozenset()


class _Parents:
    """``path.parents``: a sequence of the logical ancestors."""

    __slots__ = ("_path",)
    __adcli_public__ = frozenset()

    def __init__(self, path) -> None:
        self._path = path

    def __len__(self) -> int:
        return len(self._path._parts)

    def __getitem__(self, idx):
        p = self._path
        if isinstance(idx, slice):
            return tuple(self[i] for i in range(len(self))[idx])
        if isinstance(idx, bool) or not isinstance(idx, int):
            raise TorchTypeError(f"list indices must be integers or slices, not "
                                 f"{type_name(idx)}")
        if idx >= len(self) or idx < -len(self):
            raise TorchIndexError(idx)
        if idx < 0:
            idx += len(self)
        return p._make(p._root, p._parts[:len(p._parts) - idx - 1])

    def __iter__(self):
        return iter([self[i] for i in range(len(self))])

    def __repr__(self) -> str:
        return f"<{type(self._path).__name__}.parents>"


def make_table() -> dict:
    from adcli.lang.pylib.pybuiltins import TYPES

    def pytype(cls):
        t = TYPES.get(cls)
        if t is None:
            t = TYPES[cls] = _PathType(cls, f"pathlib.{cls.__name__}", cls)
        return t

    return {"PurePath": pytype(PurePath), "PurePosixPath": pytype(PurePosixPath),
            "Path": pytype(Path), "PosixPath": pytype(PosixPath)}


class _PathType(PyType):
    """A pathlib class as a script sees it: it constructs a path, ``isinstance`` works,
    and ``Path.cwd()`` / ``Path.home()`` are its members."""

    __slots__ = ()

    def class_attribute(self, name: str):
        if name in ("cwd", "home") and issubclass(self._cls, Path):
            return getattr(self._cls, name)
        raise TorchAttributeError(f"type object '{self.__name__}' has no attribute '{name}'")
