# ruff: noqa
import sys
def depth(n):
    return 0 if n == 0 else 1 + depth(n - 1)
print(depth(500))
print(depth(998))
try:
    depth(999)
except RecursionError as e:
    print("caught", type(e).__name__, e)
def f(n):
    return f(n + 1)
try:
    f(0)
except RecursionError as e:
    print(repr(e), e.args)
def g(n):
    try:
        return g(n + 1)
    finally:
        return n
print(g(0))
fib_calls = 0
def walk(tree):
    return 1 + sum(walk(c) for c in tree)
t = []
for i in range(300):
    t = [t]
print(walk(t))
print(sys.getrecursionlimit())
sys.setrecursionlimit(1100)
print(depth(1050))
sys.setrecursionlimit(200)
try:
    print(depth(300))
except RecursionError as e:
    print("low", e)
print(sorted([3, 1, 2], key=lambda v: depth(v * 50)))
sys.setrecursionlimit(1000)
def gen(n):
    if n:
        yield from gen(n - 1)
    yield n
print(sum(gen(200)))
f(0)
