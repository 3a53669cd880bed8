"""Function signatures: defaults, *args, **kwargs, keyword-only, unpacking in calls."""


def step(value, lr=0.1, momentum=0.0):
    return value - lr * (1 + momentum)


def total(*args):
    print("args is a", type(args).__name__, "of length", len(args))
    return sum(args)


def configure(name, **kwargs):
    parts = [f"{key}={kwargs[key]!r}" for key in kwargs]
    return name + "(" + ", ".join(parts) + ")"


def train(data, *, epochs=3, verbose=False):
    for epoch in range(epochs):
        if verbose:
            print(f"  epoch {epoch} over {len(data)} samples")
    return epochs * len(data)


def everything(a, b=2, *rest, scale=1, **options):
    return a, b, rest, scale, options


def append_to(item, bucket=None):
    if bucket is None:
        bucket = []
    bucket.append(item)
    return bucket


def shared_default(item, bucket=[]):
    bucket.append(item)
    return bucket


print(step(1.0), step(1.0, 0.5), step(1.0, momentum=0.9), step(lr=0.2, value=2.0))
print(total(), total(1, 2, 3), total(*range(5)))
print(configure("Adam", lr=0.001, betas=(0.9, 0.999), amsgrad=False))
print(train([1, 2, 3], verbose=True))
print(train([1, 2], epochs=5))
print(everything(1))
print(everything(1, 5, 6, 7, scale=3, mode="fast"))
args = (10, 20)
opts = {"scale": 0.5, "tag": "x"}
print(everything(*args, *[30, 40], **opts))
print(append_to(1), append_to(2))
print(shared_default(1), shared_default(2))

try:
    train([1], 5)
except TypeError as err:
    print("TypeError:", err)

try:
    step()
except TypeError as err:
    print("TypeError:", err)

square = lambda v: v * v
add = lambda a, b=10: a + b
print(square(7), add(1), add(1, 2), (lambda *xs: max(xs))(3, 9, 4))
pairs = [("b", 3), ("a", 3), ("c", 1)]
print(sorted(pairs, key=lambda p: (p[1], p[0])))
print(sorted(pairs, key=lambda p: p[1], reverse=True))
print(list(map(lambda a, b: a * b, [1, 2, 3], [4, 5, 6])))
print(list(filter(lambda v: v % 2, range(10))))
print(list(filter(None, [0, 1, "", "a", None, [], [0]])))


def apply_twice(fn, value):
    return fn(fn(value))


print(apply_twice(square, 3), apply_twice(lambda s: s + "!", "hi"))
print(max([3, 1, 4], key=lambda v: -v), min("apple", "fig", "kiwi", key=len))
print(max([], default="empty"), min(5, 2, 8), max("abc"))
