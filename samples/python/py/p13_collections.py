"""collections: Counter, defaultdict, namedtuple, deque, OrderedDict."""
from collections import Counter, OrderedDict, defaultdict, deque, namedtuple
import collections

words = "to be or not to be that is the question to ask".split()
counter = Counter(words)
print(counter)
print(counter["to"], counter["missing"], counter.most_common(3))
counter.update(["be", "be"])
counter["new"] += 1
print(counter.most_common(2), len(counter), sum(counter.values()))
letters = Counter("mississippi")
print(letters, sorted(letters.elements())[:5])
print(Counter(a=3, b=1) + Counter(a=1, c=2), Counter(a=3, b=1) - Counter(a=1, b=5))
print(dict(Counter([1, 1, 2])), list(Counter("cab")))

groups = defaultdict(list)
for word in words:
    groups[len(word)].append(word)
print(groups)
print(dict(groups), groups[99], 99 in groups)
tally = defaultdict(int)
for ch in "hello":
    tally[ch] += 1
print(dict(tally), tally.default_factory)
nested = defaultdict(lambda: defaultdict(float))
nested["train"]["loss"] += 0.5
nested["eval"]["acc"] += 1
print({k: dict(v) for k, v in nested.items()})

Point = namedtuple("Point", ["x", "y"])
Sample = collections.namedtuple("Sample", "features label weight", defaults=[1.0])
p = Point(3, 4)
q = p._replace(y=10)
print(p, q, p.x + p.y, p[0], tuple(p), len(p))
print(p._asdict(), Point._fields, Point._make([5, 6]))
x, y = p
print(x, y, p == (3, 4), isinstance(p, tuple))
s = Sample([0.1, 0.2], label=1)
print(s, s.weight, Sample._field_defaults)
try:
    p.x = 5
except AttributeError:
    print("AttributeError: namedtuple fields are read-only")

window = deque(maxlen=3)
for value in range(6):
    window.append(value)
    print(list(window), end=" ")
print()
print(window, window.maxlen)
d = deque([1, 2, 3])
d.appendleft(0)
d.append(4)
d.extend([5, 6])
d.extendleft([-1, -2])
print(d, d.popleft(), d.pop(), d)
d.rotate(2)
print(d)
d.rotate(-3)
print(d, d[0], d[-1], len(d), 3 in d)
queue = deque(["a"])
order = []
graph = {"a": ["b", "c"], "b": ["d"], "c": ["d"], "d": []}
seen = {"a"}
while queue:
    node = queue.popleft()
    order.append(node)
    for nxt in graph[node]:
        if nxt not in seen:
            seen.add(nxt)
            queue.append(nxt)
print("bfs:", order)

od = OrderedDict()
od["first"] = 1
od["second"] = 2
od["third"] = 3
od.move_to_end("first")
print(list(od.items()))
od.move_to_end("third", last=False)
print(list(od.keys()), od.popitem(), od.popitem(last=False), list(od))
print(isinstance(od, dict), OrderedDict(a=1) == {"a": 1})
