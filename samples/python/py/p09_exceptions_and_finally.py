"""Exceptions: user classes, try/except/else/finally ordering, raise, assert."""


class TrainingError(Exception):
    """Base class of this program's errors."""


class DivergedError(TrainingError):
    def __init__(self, step, loss):
        super().__init__(f"loss {loss} at step {step}")
        self.step = step
        self.loss = loss


class ConfigError(TrainingError, ValueError):
    pass


def checked_div(a, b):
    try:
        result = a / b
    except ZeroDivisionError as err:
        print("  except:", err)
        return None
    else:
        print("  else: no error")
        return result
    finally:
        print("  finally runs for", a, b)


def finally_wins():
    try:
        return "from try"
    finally:
        print("  finally before the return value is used")


def run(losses, limit=100.0):
    for step, loss in enumerate(losses):
        if loss > limit:
            raise DivergedError(step, loss)
    return "converged"


def load(config):
    if "lr" not in config:
        raise ConfigError("missing key 'lr'")
    return config["lr"]


print(checked_div(6, 3))
print(checked_div(1, 0))
print(finally_wins())
for losses in ([3.0, 2.0, 1.0], [1.0, 50.0, 500.0]):
    try:
        print(run(losses))
    except DivergedError as err:
        print("DivergedError:", err, "| step", err.step, "| args", err.args)
try:
    load({})
except ValueError as err:
    print(type(err).__name__, "is a ValueError:", err,
          isinstance(err, TrainingError), isinstance(err, Exception))
for bad in ["12", "x", None, [1]]:
    try:
        value = int(bad)
    except (TypeError, ValueError) as err:
        print(f"{type(err).__name__}: {err}")
    else:
        print("parsed", value)
try:
    try:
        {}["missing"]
    except KeyError as err:
        print("KeyError with args", err.args, "and str", str(err))
        raise
except LookupError as outer:
    print("re-raised and caught as LookupError:", repr(outer))
try:
    try:
        [1, 2][5]
    except IndexError as err:
        raise RuntimeError("wrapping the index error") from err
except RuntimeError as err:
    print(err, "| cause:", type(err.__cause__).__name__, err.__cause__)
try:
    assert 1 + 1 == 3, "arithmetic is broken"
except AssertionError as err:
    print("AssertionError:", err)
try:
    assert False
except AssertionError as err:
    print("empty message:", repr(str(err)), repr(err))
order = []
for i in range(3):
    try:
        order.append(f"try{i}")
        if i == 1:
            continue
        if i == 2:
            break
    finally:
        order.append(f"finally{i}")
print(order)
print(repr(ValueError("bad", 3)), str(ValueError("bad", 3)), str(KeyError("k")))
try:
    raise TypeError
except TypeError as err:
    print(repr(err), repr(str(err)))
try:
    undefined_name
except NameError as err:
    print("NameError:", err)
try:
    "a" + 1
except TypeError as err:
    print("TypeError:", err)
