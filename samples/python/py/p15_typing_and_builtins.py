"""Annotations with typing and `from __future__ import annotations`; loops with else."""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Tuple, Union

Vector = List[float]
history: List[float] = []
best: Optional[float] = None
total_steps: int


def dot(a: Vector, b: Vector) -> float:
    return sum(x * y for x, y in zip(a, b))


def scale(v: Vector, by: Union[int, float] = 2) -> Vector:
    return [by * x for x in v]


def apply(fn: Callable[[float], float], values: List[float]) -> List[float]:
    return [fn(v) for v in values]


def stats(values: list[float]) -> tuple[float, float]:
    mean = sum(values) / len(values)
    var = sum((v - mean) ** 2 for v in values) / len(values)
    return mean, var


def lookup(table: Dict[str, Any], key: str, default: Optional[Any] = None) -> Any:
    return table.get(key, default)


class Accumulator:
    total: float = 0.0
    names: Tuple[str, ...] = ("sum",)

    def __init__(self, start: float = 0.0) -> None:
        self.total = start

    def add(self, value: float) -> "Accumulator":
        self.total += value
        return self


print(dot([1.0, 2.0], [3.0, 4.0]), scale([1, 2]), scale([1.5], by=0.5))
print(apply(lambda v: v * v, [1.0, 2.0, 3.0]), stats([1.0, 2.0, 3.0, 4.0]))
print(lookup({"a": 1}, "a"), lookup({}, "b"), lookup({}, "c", 0))
print(Accumulator().add(1.5).add(2.5).total, Accumulator.total, Accumulator.names)
for step in range(5):
    loss = 1.0 / (step + 1)
    history.append(loss)
    if best is None or loss < best:
        best = loss
total_steps = len(history)
print(total_steps, best, [round(h, 3) for h in history])


def find_first_negative(values):
    for index, value in enumerate(values):
        if value < 0:
            print("found at", index)
            break
    else:
        print("no negative value")


find_first_negative([3, 1, -2, 5])
find_first_negative([3, 1])
n = 27
steps = 0
while n != 1:
    n = n // 2 if n % 2 == 0 else 3 * n + 1
    steps += 1
else:
    print("collatz(27) takes", steps, "steps")
count = 0
while True:
    count += 1
    if count >= 3:
        break
print("count", count)
for i in range(10):
    if i % 3:
        continue
    print("multiple of three:", i)
print(type(3).__name__, type(3.0).__name__, type("s").__name__, type(None).__name__,
      type([]).__name__, type({}).__name__, type(()).__name__, type(set()).__name__)
print(isinstance(True, int), isinstance(3, float), isinstance(3, (int, float)), bool([]), bool([0]))
print(int(True) + True, True and 3, 0 or "fallback", None or 0, not 0, 1 < 2 < 3, 1 < 3 < 2)
print(5 ^ 3, 6 & 3, 6 | 3, ~5, 1 << 4, 256 >> 2, -7 % 3, 7 % -3)
a = [1, 2]
b = a
c = [1, 2]
print(a is b, a is c, a == c, id(a) == id(b), id(a) == id(c), a is not c)
print(repr(None), str(3.0), list("ab"), tuple([1]), set([2, 2]), dict([(1, 2)]), float(7))
print(sum([[1], [2]], []), sum([0.5, 0.25], 10), min([4, 2, 8]), max(1, 2.5), abs(-0.0))
print(sorted([3, 1, 2], reverse=True), list(reversed([1, 2, 3])), len({"k": 1}), len("four"))
print(round(3.14159, 2), round(1234.5, -2), round(0.5), round(1.5), round(2.675), round(7))
