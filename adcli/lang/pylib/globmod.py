"""``glob``: ``glob``/``iglob`` over the sandbox's virtual file system (pathlib's
walk: no host directory is listed). ``**`` matches across directories with
``recursive=True``; hidden names match only a pattern that starts with a dot."""

from __future__ import annotations

import fnmatch as _fnmatch

from adcli.errors import TorchTypeError


def glob(pathname, *, root_dir=None, dir_fd=None, recursive=False, include_hidden=False):
    from adcli.lang.pylib.pathlibmod import PurePath, _os

    if isinstance(pathname, PurePath):
        pathname = str(pathname)
    if not isinstance(pathname, str):
        raise TorchTypeError("glob() takes a str pattern in adcli")
    if root_dir is not None:
        raise TorchTypeError("glob(root_dir=) is not supported by adcli")
    os = _os()
    isdir, exists = os["path"].members["isdir"], os["path"].members["exists"]
    absolute = pathname.startswith("/")
    parts = [p for p in pathname.split("/") if p]
    if not any(c in pathname for c in "*?["):
        return [pathname] if exists(pathname) else []
    found: list = []

    def join(base: str, name: str) -> str:
        if base == "":
            return name
        return base + name if base.endswith("/") else base + "/" + name

    def walk(base: str, rest: list) -> None:
        if not rest:
            found.append(base)
            from adcli.lang.pylib._common import check_objects

            check_objects(len(found), "glob.glob")
            return
        head, tail = rest[0], rest[1:]
        where = base or "."
        if head == "**" and recursive:
            if tail:
                walk(base, tail)
            elif base:
                found.append(join(base, ""))  # 'runs/**' yields 'runs/' first, as Python
            stack = [base]
            while stack:
                d = stack.pop()
                for n in os["listdir"](d or "."):
                    if n.startswith(".") and not include_hidden:
                        continue
                    child = join(d, n)
                    if isdir(child):
                        if tail:
                            walk(child, tail)
                        else:
                            found.append(child)
                        stack.append(child)
                    elif not tail:
                        found.append(child)
            return
        if not any(c in head for c in "*?["):
            child = join(base, head)
            if (isdir(child) if tail else exists(child)):
                walk(child, tail)
            return
        if not isdir(where):
            return
        for n in os["listdir"](where):
            if n.startswith(".") and not head.startswith(".") and not include_hidden:
                continue
            if _fnmatch.fnmatchcase(n, head):
                child = join(base, n)
                if tail and not isdir(child):
                    continue
                walk(child, tail)

    walk("/" if absolute else "", parts)
    return found


def iglob(pathname, **kwargs):
    return iter(glob(pathname, **kwargs))


def make_table() -> dict:
    return {"glob": glob, "iglob": iglob, "escape": _escape,
            "has_magic": lambda s: any(c in s for c in "*?[")}


def _escape(pathname):
    if not isinstance(pathname, str):
        raise TorchTypeError("escape() takes a str in adcli")
    out = "".join(f"[{c}]" if c in "*?[" else c for c in pathname)
    return out
