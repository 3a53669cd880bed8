"""random with a fixed seed, math functions, copy and deepcopy, time."""
import copy
import math
import random
import time

random.seed(0)
print(random.random(), random.random())
print([random.randint(1, 6) for _ in range(8)])
print(random.choice(["rock", "paper", "scissors"]), random.choice(range(100)))
deck = list(range(10))
random.shuffle(deck)
print(deck)
print(random.sample(range(50), 5), round(random.uniform(-1, 1), 6))
print(random.randrange(0, 100, 5), random.choices("abc", k=5))
random.seed(0)
again = random.random()
random.seed(42)
print(again, f"{random.random():.6f}")
random.seed(7)
first = [random.random() for _ in range(3)]
random.seed(7)
print(first == [random.random() for _ in range(3)], [round(v, 4) for v in first])

print(math.pi, math.e, math.tau, math.inf, -math.inf, math.nan)
print(math.sqrt(2), math.exp(1), math.log(math.e), math.log(8, 2), math.log2(1024), math.log10(0.001))
print(math.sin(math.pi / 6), math.cos(0), math.tan(math.pi / 4), math.atan2(1, 1))
print(math.floor(-2.5), math.ceil(-2.5), math.trunc(-2.5), math.floor(3), round(-2.5))
print(math.factorial(10), math.gcd(48, 18), math.comb(5, 2), math.perm(5, 2), math.prod([1, 2, 3, 4]))
print(math.hypot(3, 4), math.fabs(-3), math.copysign(2, -0.0), math.pow(2, 10), 2 ** 10, 2 ** -1)
print(math.isclose(0.1 + 0.2, 0.3), 0.1 + 0.2 == 0.3, math.isnan(float("nan")), math.isinf(1e308 * 10))
print(math.degrees(math.pi), math.radians(180), math.fsum([0.1] * 10), sum([0.1] * 10))
print(f"{math.exp(-10):.6e} {math.log1p(1e-10):.3e} {math.expm1(1e-5):.10f} {math.erf(0.5):.8f}")
sigmoid = lambda v: 1 / (1 + math.exp(-v))
print([round(sigmoid(v), 4) for v in (-2, 0, 2)], max(0.0, -3.2), abs(-7), abs(-2.5))
print(divmod(17, 5), divmod(-17, 5), 17 // 5, -17 // 5, 17 % -5, pow(3, 4), pow(3, 4, 5), pow(2, -2))
print(int(3.9), int(-3.9), int("0x1f", 16), int("101", 2), float("1e-3"), float("-inf"), bool(0.0))
print(1 / 3, 10 / 2, 7 // 2, 2 ** 0.5, 1e3, 1.5e-7, 123456789.123, 1e22, 3 * 0.1)

weights = {"layer": [[1.0, 2.0], [3.0]], "name": "net"}
shallow = copy.copy(weights)
deep = copy.deepcopy(weights)
weights["layer"][0][0] = 99.0
weights["name"] = "changed"
print(shallow, deep, sep="\n")
lst = [[0], [1]]
print(copy.copy(lst)[0] is lst[0], copy.deepcopy(lst)[0] is lst[0], copy.deepcopy(lst) == lst)


class Box:
    def __init__(self, items):
        self.items = items


box = Box([1, 2])
twin = copy.deepcopy(box)
twin.items.append(3)
print(box.items, twin.items)

start = time.time()
t0 = time.perf_counter()
total = sum(range(10000))
elapsed = time.perf_counter() - t0
print(total, elapsed >= 0, time.time() >= start, type(elapsed).__name__)
