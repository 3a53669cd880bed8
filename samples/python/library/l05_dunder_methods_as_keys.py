losses = [3.0, 1.0, 2.0]
best = min(range(len(losses)), key=losses.__getitem__)
d = {"a": 2, "b": 1}
print(best, max(d, key=d.__getitem__), "abc".__len__(), (1,2).__contains__(2), {1}.__len__())
print(sorted("hello", key="hole".__contains__))
