"""Dictionaries and sets: the methods that homework uses."""

config = {"lr": 0.01, "epochs": 10, "batch_size": 32}
print(config["lr"], config.get("momentum"), config.get("momentum", 0.9))
print(list(config.keys()), list(config.values()), list(config.items()))
print(len(config), "lr" in config, "momentum" not in config)
config["momentum"] = 0.9
config.update({"lr": 0.001, "seed": 0})
config.update(nesterov=True)
print(config)
print(config.pop("seed"), config.pop("missing", "default"), config)
print(config.setdefault("epochs", 99), config.setdefault("warmup", 5))
print(config.popitem(), config)
copy_of = config.copy()
copy_of["lr"] = 1.0
print(config["lr"], copy_of["lr"])
del config["momentum"]
print(sorted(config), sorted(config.items(), key=lambda kv: str(kv[1])))
print(dict.fromkeys(["a", "b"], 0), dict([("x", 1), ("y", 2)]), dict(a=1, b=2))
counts = {}
for word in "the cat and the hat and the bat".split():
    counts[word] = counts.get(word, 0) + 1
print(counts)
print(max(counts, key=counts.get), sorted(counts, key=lambda w: (-counts[w], w)))
for key, value in sorted(counts.items()):
    print(f"{key:>4}: {'#' * value}")
try:
    counts["dog"]
except KeyError as err:
    print("KeyError:", err)
print({1: "one", True: "bool", 1.0: "float"})
print(list({"b": 1, "a": 2}), {**{"k": 1}, "k": 2})
print(config == {"lr": 0.001, "epochs": 10, "batch_size": 32, "warmup": 5},
      {"a": 1, "b": 2} == {"b": 2, "a": 1})
config.clear()
print(config, bool(config))

a = {1, 2, 3, 4}
b = {3, 4, 5}
print(a | b, a & b, a - b, b - a, a ^ b)
print(a.union(b), a.intersection(b), a.difference(b), a.symmetric_difference(b))
print(a.issubset({1, 2, 3, 4, 5}), {1, 2} <= a, a.isdisjoint({9}), {3} < a)
s = set()
s.add(3)
s.add(1)
s.add(3)
s.update([7, 5], (1, 2))
print(s, len(s), 7 in s)
s.discard(100)
s.remove(7)
print(s, sorted(s, reverse=True), min(s), max(s), sum(s))
try:
    s.remove(100)
except KeyError as err:
    print("KeyError:", err)
print(set([3, 3, 1]), set(range(5)), set("aab") == {"a", "b"}, sorted(set("banana")))
popped = {42}.pop()
print(popped, {n % 3 for n in range(10)}, len({(1, 2), (1, 2), (2, 1)}))
frozen_keys = {(0, 0): "origin", (1, 0): "right"}
print(frozen_keys[(1, 0)], (0, 0) in frozen_keys)
