"""Recursion and generators: factorial, fibonacci, hanoi, permutations, yield."""


def factorial(n):
    return 1 if n <= 1 else n * factorial(n - 1)


def fib(n, memo={}):
    if n < 2:
        return n
    if n not in memo:
        memo[n] = fib(n - 1) + fib(n - 2)
    return memo[n]


def hanoi(n, source, target, spare, moves):
    if n == 0:
        return moves
    hanoi(n - 1, source, spare, target, moves)
    moves.append((source, target))
    hanoi(n - 1, spare, target, source, moves)
    return moves


def permutations(items):
    if len(items) <= 1:
        return [items]
    result = []
    for i, head in enumerate(items):
        for tail in permutations(items[:i] + items[i + 1:]):
            result.append([head] + tail)
    return result


def flatten(nested):
    out = []
    for item in nested:
        if isinstance(item, list):
            out.extend(flatten(item))
        else:
            out.append(item)
    return out


def countdown(n):
    print("countdown starts")
    while n > 0:
        yield n
        n -= 1
    print("countdown done")


def fib_gen():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b


def batches(data, size):
    for start in range(0, len(data), size):
        yield data[start:start + size]


def walk(tree, depth=0):
    name, children = tree
    yield "  " * depth + name
    for child in children:
        for line in walk(child, depth + 1):
            yield line


print([factorial(k) for k in range(8)])
print(fib(30), fib(80))
moves = hanoi(3, "A", "C", "B", [])
print(len(moves), moves[:3])
print(permutations([1, 2, 3]))
print(flatten([1, [2, [3, [4, 5]], 6], [[7]]]))

for value in countdown(3):
    print("got", value)

gen = fib_gen()
print([next(gen) for _ in range(10)])
print(list(batches(list(range(7)), 3)))
tree = ("root", [("left", [("leaf1", []), ("leaf2", [])]), ("right", [])])
for line in walk(tree):
    print(line)

squares = (k * k for k in range(5))
print(type(squares).__name__, next(squares), next(squares), list(squares), list(squares))
it = iter([10, 20])
print(next(it), next(it), next(it, "exhausted"))
try:
    next(it)
except StopIteration:
    print("StopIteration raised")
print(sum(k for k in range(101)), max(len(w) for w in ["a", "abc", "ab"]))
print(any(k > 3 for k in [1, 2, 5]), all(k > 0 for k in [1, 2, 0]))


def echo():
    received = yield "ready"
    while received is not None:
        received = yield f"echo {received}"


e = echo()
print(next(e), e.send("one"), e.send("two"))
