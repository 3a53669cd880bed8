"""Closures, nonlocal, global, decorators written by hand, late binding."""

calls = 0


def make_counter(start=0):
    count = start

    def increment(by=1):
        nonlocal count
        count += by
        return count

    return increment


def make_multiplier(factor):
    def multiply(x):
        return x * factor
    return multiply


def record_call():
    global calls
    calls += 1
    return calls


def logged(fn):
    def wrapper(*args, **kwargs):
        print(f"calling {fn.__name__} with {args} {kwargs}")
        result = fn(*args, **kwargs)
        print(f"{fn.__name__} returned {result}")
        return result
    return wrapper


def repeat(times):
    def decorate(fn):
        def wrapper(*args):
            return [fn(*args) for _ in range(times)]
        return wrapper
    return decorate


@logged
def add(a, b=0):
    return a + b


@repeat(3)
def shout(word):
    return word.upper()


counter = make_counter()
other = make_counter(100)
print(counter(), counter(), counter(5), other(), counter())
double, triple = make_multiplier(2), make_multiplier(3)
print(double(21), triple(7), double("ab"))
for _ in range(3):
    record_call()
print("calls:", calls)
add(2, b=3)
print(shout("hey"))

late = [lambda: i for i in range(3)]
early = [lambda i=i: i for i in range(3)]
print([f() for f in late], [f() for f in early])

x = "global x"


def outer():
    x = "outer x"

    def inner():
        return x

    def shadow():
        x = "shadow x"
        return x

    return inner(), shadow(), x


print(outer(), x)


def running_mean():
    total = 0.0
    n = 0

    def update(value):
        nonlocal total, n
        total += value
        n += 1
        return total / n

    return update


mean = running_mean()
print([round(mean(v), 3) for v in [1, 2, 3, 4, 10]])


def compose(*fns):
    def composed(value):
        for fn in reversed(fns):
            value = fn(value)
        return value
    return composed


inc_then_double = compose(double, lambda v: v + 1)
print(inc_then_double(4), compose()(9))
print(counter.__name__, make_counter.__name__)
