#!/usr/bin/env python3
"""Graph-node layouts: what ``__slots__`` would save per node (issue 19).

A graph node (a ``Node`` subclass in adcli/engine/ops/) gets six attributes when it is
recorded: its edges, sequence number, output shape and dtype, and what it saves. This
script builds 10^5 objects of three layouts, the way the engine's fast paths do
(``object.__new__`` and six stores), and prints the memory of each object, the time to
make and fill one, and the time of four attribute reads, as backward does:

- ``dict``: today's layout, a plain class with class-level defaults (``_vers = None``);
- ``slots``: ``__slots__`` for every attribute, defaults set on creation;
- ``hybrid``: ``__slots__`` for the four fields every node sets, plus a ``__dict__`` for
  the rest (what avoids listing each op's own attributes).

Usage: python bench/bench_node_layout.py [--nodes N] [--repeat R]
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

FIELDS = ("_next", "_seq", "_shape", "_dtype", "_saved", "_saved_t")


class DictNode:
    _vers = None


class DictOp(DictNode):
    pass


class SlotNode:
    __slots__ = (*FIELDS, "_vers")


class SlotOp(SlotNode):
    __slots__ = ()


class HybridNode:
    __slots__ = ("_next", "_seq", "_shape", "_dtype", "__dict__", "__weakref__")
    _vers = None


class HybridOp(HybridNode):
    pass


LAYOUTS = {"dict": DictOp, "slots": SlotOp, "hybrid": HybridOp}


def make(cls, n: int) -> list:
    new = object.__new__
    out = []
    for i in range(n):
        node = new(cls)
        node._next = None
        node._seq = i
        node._shape = (2, 2)
        node._dtype = None
        node._saved = ()
        node._saved_t = ()
        if cls is SlotOp:
            node._vers = None  # a slot has no class default
        out.append(node)
    return out


def read(nodes: list) -> None:
    for node in nodes:
        node._next, node._seq, node._saved, node._vers  # noqa: B018


def measure(cls, n: int, repeat: int) -> tuple[float, float, float]:
    tracemalloc.start()
    nodes = make(cls, n)
    per_node = tracemalloc.get_traced_memory()[0] / n
    tracemalloc.stop()
    del nodes
    best_make = best_read = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        nodes = make(cls, n)
        best_make = min(best_make, time.perf_counter() - t0)
        t0 = time.perf_counter()
        read(nodes)
        best_read = min(best_read, time.perf_counter() - t0)
        del nodes
    return per_node, best_make / n * 1e9, best_read / n * 1e9


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (best kept)")
    args = parser.parse_args()
    best: dict[str, list[float]] = {}
    for _ in range(args.rounds):
        for name, cls in LAYOUTS.items():
            mem, mk, rd = measure(cls, args.nodes, args.repeat)
            b = best.setdefault(name, [mem, mk, rd])
            b[1], b[2] = min(b[1], mk), min(b[2], rd)
    print(f"{args.nodes} nodes, best of {args.repeat} x {args.rounds} interleaved rounds")
    print(f"{'layout':8s} {'bytes/node':>10s} {'make+6 stores':>14s} {'4 reads':>8s}")
    for name, (mem, mk, rd) in best.items():
        print(f"{name:8s} {mem:10.1f} {mk:11.0f} ns {rd:5.0f} ns")
    print("(bytes include the list slot that keeps each node alive: 8 B)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
