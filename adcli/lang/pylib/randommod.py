"""``random``: Python's own Mersenne Twister, one ``random.Random`` per session.

``random.seed(0); random.random()`` gives what CPython gives. Sizes a script asks for in
one call (``getrandbits``, ``randbytes``, ``sample``/``choices`` k) are bounded.
"""

from __future__ import annotations

import random as _random

from adcli.lang import pyformat
from adcli.lang.pylib._common import (
    BoundMethod,
    as_int,
    bounded_list,
    check_int_bits,
    check_objects,
)

_PLAIN = ("seed", "random", "uniform", "randint", "randrange", "choice", "shuffle", "gauss",
          "normalvariate", "lognormvariate", "expovariate", "paretovariate", "weibullvariate",
          "triangular", "getstate", "setstate")
# Rejection samplers that loop forever in CPython on a NaN or infinite parameter.
_LOOPING = ("vonmisesvariate", "gammavariate", "betavariate")


def _getrandbits(rng, k):
    k = as_int(k, "getrandbits(): k")
    check_int_bits(k, f"getrandbits({k})")
    return rng.getrandbits(k)


def _randbytes(rng, n):
    n = as_int(n, "randbytes(): n")
    pyformat.check_size(n)
    return rng.randbytes(n)


def _population(population):
    if isinstance(population, list | tuple | str | range):
        return population
    if isinstance(population, set | frozenset | dict):
        return population  # Python's own TypeError (a set is not a sequence)
    return bounded_list(population, "random.sample()")


def _sample(rng, population, k, *, counts=None):
    k = as_int(k, "sample(): k")
    check_objects(k, "random.sample()")
    if counts is not None:
        counts = bounded_list(counts, "random.sample() counts")
    return rng.sample(_population(population), k, counts=counts)


def _choices(rng, population, weights=None, *, cum_weights=None, k=1):
    k = as_int(k, "choices(): k")
    check_objects(k, "random.choices()")
    if weights is not None:
        weights = bounded_list(weights, "random.choices() weights")
    if cum_weights is not None:
        cum_weights = bounded_list(cum_weights, "random.choices() cum_weights")
    return rng.choices(_population(population), weights, cum_weights=cum_weights, k=k)


def _finite_only(name: str):
    def sample(rng, *args, **kwargs):
        import math

        for value in (*args, *kwargs.values()):
            if isinstance(value, float) and not math.isfinite(value):
                from adcli.errors import TorchValueError

                raise TorchValueError(f"{name}() needs finite parameters, not {value!r} "
                                      "(Python's own loops forever)")
        return getattr(rng, name)(*args, **kwargs)

    return sample


_BOUNDED = {"getrandbits": _getrandbits, "randbytes": _randbytes, "sample": _sample,
            "choices": _choices, **{n: _finite_only(n) for n in _LOOPING}}


def instance_methods(rng: _random.Random) -> dict:
    """The members of one generator: its own methods, and the bounded ones."""
    table = {name: getattr(rng, name) for name in _PLAIN}
    table.update({name: BoundMethod(fn, rng, name) for name, fn in _BOUNDED.items()})
    return table


# Accessors for a ``random.Random`` instance that a script made with ``random.Random(x)``.
RANDOM_METHODS = {name: (lambda n: lambda rng: instance_methods(rng)[n])(name)
                  for name in _PLAIN + tuple(_BOUNDED)}


def make_table(rng: _random.Random) -> dict:
    """The ``random`` module of one session, over ``rng``."""
    table = instance_methods(rng)
    from adcli.lang.pylib._common import PyType

    table["Random"] = PyType(_random.Random, "random.Random", _random.Random)
    return table
