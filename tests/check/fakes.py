"""A stand-in for the interpreter: Python statements over numpy, with the Session API.

It lets the grading, pool and report tests run without the real language, and offers
hostile helpers the real language rightly lacks: ``crash()`` (SIGSEGV), ``stall(s)``
(sleeps with SIGALRM blocked, as a long C call would) and ``sleep(s)``.
"""

from __future__ import annotations

import ast
import os
import signal
import time

import numpy as np

from adcli.check.grade import Engine
from adcli.errors import (
    AdcliError,
    AdcliSyntaxError,
    LimitError,
    TorchNameError,
    TorchRuntimeError,
    adcli_error_for,
)

_rng = np.random.default_rng(0)


def manual_seed(seed: int) -> None:
    global _rng
    _rng = np.random.default_rng(seed)


def _crash() -> None:
    os.kill(os.getpid(), signal.SIGSEGV)


def _stall(seconds: float) -> None:
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    time.sleep(seconds)


class Bug(Exception):
    """An exception the interpreter does not map: a bug in adcli itself."""


def _bug() -> None:
    raise Bug("an engine bug")


def _limit() -> None:
    raise LimitError("a tensor would have 10,000,000,000 elements, over the limit")


NAMES = {
    "ones": lambda *s: np.ones(s),
    "zeros": lambda *s: np.zeros(s),
    "randn": lambda *s: _rng.standard_normal(s),
    "tensor": lambda v: np.array(v, dtype=float),
    "mean": np.mean,
    "crash": _crash,
    "stall": _stall,
    "sleep": time.sleep,
    "limit": _limit,
    "bug": _bug,
}


class FakeSession:
    """Session(limits=..., out=...): exec_source, eval_expr and bind, over Python."""

    def __init__(self, limits=None, out=None) -> None:
        self.ns = dict(NAMES)

    def bind(self, name: str, value) -> None:
        self.ns[name] = value

    def exec_source(self, text: str, filename: str = "<string>"):
        try:
            tree = ast.parse(text, filename)
        except SyntaxError as exc:
            raise AdcliSyntaxError(exc.msg, pos=(exc.lineno or 1, exc.offset or 1)) from None
        body = tree.body
        last = body.pop() if body and isinstance(body[-1], ast.Expr) else None
        try:
            exec(compile(ast.Module(body, []), filename, "exec"), self.ns)
            if last is not None:
                return eval(compile(ast.Expression(last.value), filename, "eval"), self.ns)
        except (AdcliError, Bug):
            raise
        except MemoryError:
            raise LimitError("out of memory") from None
        except Exception as exc:
            line = exc.__traceback__.tb_next.tb_lineno if exc.__traceback__.tb_next else 1
            if isinstance(exc, NameError):
                mapped = TorchNameError(str(exc))
            else:
                mapped = adcli_error_for(exc) or TorchRuntimeError(str(exc))
            mapped.pos = (line, 1)
            raise mapped from None
        return None

    def eval_expr(self, text: str):
        return self.exec_source(text)


ENGINE = Engine(session=FakeSession, manual_seed=manual_seed)

PROBLEM_SET = """\
title = "Fake set"
[defaults]
rtol = 1e-4
atol = 1e-6

[[problem]]
id = "double"
points = 2
setup = "x = ones(3)"
answer = "2 * x"

[[problem]]
id = "formula"
setup = "x = randn(3)"
answer = "3/2*(x+2)"
samples = 3

[[problem]]
id = "pair"
setup = "x = ones(2)"
answer = "a = x + 1; b = x * 3"
check = ["a", "b"]
"""

CORRECT = {"double": "x + x", "formula": "1.5*x + 3", "pair": "a = 2 * x\nb = 3 * x"}
