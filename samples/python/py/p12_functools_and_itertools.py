"""functools (reduce, partial, lru_cache) and itertools."""
import functools
import itertools
from functools import lru_cache, partial, reduce
from itertools import accumulate, chain, product


def power(base, exponent):
    return base ** exponent


square = partial(power, exponent=2)
cube = functools.partial(power, exponent=3)
two_to = partial(power, 2)
print(square(5), cube(2), two_to(10), square.keywords, two_to.args)

print(reduce(lambda acc, v: acc * v, range(1, 6)))
print(reduce(lambda acc, v: acc + [acc[-1] + v], [1, 2, 3], [0]))
print(functools.reduce(max, [3, 9, 2], 0), reduce(lambda a, b: a + b, ["a", "b", "c"]))

calls = []


@lru_cache(maxsize=None)
def fib(n):
    calls.append(n)
    return n if n < 2 else fib(n - 1) + fib(n - 2)


print(fib(40), len(calls), fib.cache_info())
fib.cache_clear()
print(fib.cache_info())


@functools.lru_cache(maxsize=2)
def slow_square(n):
    print(f"  computing {n}")
    return n * n


for n in [1, 2, 1, 3, 2]:
    print(slow_square(n))
print(slow_square.cache_info())

print(list(product([0, 1], repeat=2)))
print(list(product("ab", [1, 2, 3])))
print(list(chain([1, 2], (3,), "xy")), list(chain.from_iterable([[1], [2, 3]])))
print(list(accumulate([1, 2, 3, 4])), list(accumulate([3, 1, 4, 1, 5], max)))
print(list(accumulate([1, 2, 3], lambda a, b: a * b, initial=10)))
print(list(itertools.combinations(range(4), 2)))
print(list(itertools.permutations("abc", 2)))
print(list(itertools.combinations_with_replacement([1, 2], 2)))
print(list(itertools.islice(itertools.count(10, 5), 4)), list(itertools.islice("abcdefg", 1, 6, 2)))
print(list(itertools.repeat("x", 3)), list(itertools.islice(itertools.cycle([1, 2]), 5)))
print(list(itertools.zip_longest([1, 2, 3], "ab", fillvalue="-")))
print(list(itertools.takewhile(lambda v: v < 4, [1, 3, 5, 2])),
      list(itertools.dropwhile(lambda v: v < 4, [1, 3, 5, 2])))
print(list(itertools.compress("abcd", [1, 0, 1, 0])), list(itertools.starmap(pow, [(2, 3), (3, 2)])))
for key, group in itertools.groupby("aaabccaa"):
    print(key, len(list(group)), end=" ")
print()
words = sorted(["apple", "avocado", "banana", "blueberry", "cherry"], key=lambda w: w[0])
print({k: list(g) for k, g in itertools.groupby(words, key=lambda w: w[0])})
grid = {(i, j): i * j for i, j in product(range(3), range(3)) if i <= j}
print(grid)
hyper = {"lr": [0.1, 0.01], "depth": [1, 2]}
for combo in product(*hyper.values()):
    print(dict(zip(hyper.keys(), combo)))
a, b = itertools.tee([1, 2, 3])
print(list(a), list(b), list(itertools.pairwise([1, 2, 3, 4])))
