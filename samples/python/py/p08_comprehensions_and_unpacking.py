"""Comprehensions, generator expressions and star-unpacking."""

numbers = list(range(1, 11))
squares = [n * n for n in numbers]
evens = [n for n in numbers if n % 2 == 0]
labels = ["even" if n % 2 == 0 else "odd" for n in numbers[:4]]
pairs = [(i, j) for i in range(3) for j in range(i)]
matrix = [[r * 3 + c for c in range(3)] for r in range(3)]
flat = [v for row in matrix for v in row if v % 2]
print(squares)
print(evens, labels)
print(pairs)
print(matrix, flat)
print([list(col) for col in zip(*matrix)])
print([row[::-1] for row in reversed(matrix)])

word_lengths = {w: len(w) for w in ["tensor", "grad", "backward"]}
inverted = {v: k for k, v in word_lengths.items()}
mods = {n % 4 for n in numbers}
print(word_lengths, inverted, mods, sorted({n // 3 for n in numbers}))
print({k: v for k, v in zip("abc", range(3)) if v != 1})
print(sum(n * n for n in numbers), max(n % 7 for n in numbers), min((n for n in []), default=-1))
print(tuple(n for n in numbers if n > 7), set(), {}, dict(), list(), tuple())

first, second, *rest = numbers
*init, last = "hello"
head, *middle, tail = (1, 2)
a, (b, c), d = 1, (2, 3), 4
print(first, second, rest)
print(init, last, head, middle, tail, a, b, c, d)
x, y = 1, 2
x, y = y, x
print(x, y)
merged = [*range(3), *"ab", *[None]]
combined = {**word_lengths, "grad": 99, **{"new": 0}}
print(merged, combined)
print(*numbers[:3], sep=" | ", end=" <end>\n")
print(*"abc")
for index, (name, size) in enumerate(word_lengths.items(), start=1):
    print(index, name, size)
for i, (u, v) in enumerate(zip([1, 2, 3], [4, 5, 6])):
    print(i, u + v, end="; ")
print()
grid = [[0] * 3 for _ in range(2)]
grid[0][1] = 5
alias = [[0] * 3] * 2
alias[0][1] = 5
print(grid, alias)
nested = {"layer1": {"weight": [1, 2], "bias": [0]}, "layer2": {"weight": [3], "bias": [1]}}
counts = {name: sum(len(v) for v in params.values()) for name, params in nested.items()}
print(counts, sum(counts.values()))
print([(k, sorted(v)) for k, v in sorted(nested.items(), reverse=True)])
print(list(map(sum, matrix)), list(map(str, range(3))), list(zip(range(3), "xyz", [True, False])))
print(list(enumerate("ab")), dict(zip(["lr", "epochs"], [0.1, 5])))
print([n for n in range(20) if all(n % d for d in range(2, n)) and n > 1])
print(len(squares), squares.index(49), 49 in squares, 50 in squares)
print(list(range(10, 0, -3)), list(range(0)), range(5)[2], len(range(0, 100, 7)))
values = [3, 1, 2]
del values[0]
print(values)
del values
try:
    print(values)
except NameError as err:
    print("after del:", err)
