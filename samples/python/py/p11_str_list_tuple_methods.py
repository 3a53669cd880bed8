"""Common methods of str, list and tuple."""

text = "  Automatic differentiation with PyTorch  "
print(repr(text.strip()), repr(text.lstrip()), repr(text.rstrip()))
words = text.split()
print(words, len(words), "-".join(words), " ".join(reversed(words)))
s = text.strip()
print(s.lower(), "|", s.upper(), "|", s.title(), "|", s.swapcase(), "|", "torch".capitalize())
print(s.startswith("Auto"), s.endswith("Torch"), s.find("with"), s.find("zzz"), s.index("P"))
print(s.count("t"), s.replace("PyTorch", "numpy"), s.replace("t", "T", 2))
print("a,b,,c".split(","), "a b  c".split(" "), "k=v=w".split("=", 1), "x".split(","))
print("one\ntwo\n".splitlines(), "a:b:c".rsplit(":", 1), "path/to/file.py".partition("/"))
print("42".zfill(5), "-7".zfill(4), "ab".center(6, "."), "ab".ljust(4, "_"), "ab".rjust(4))
print("123".isdigit(), "12a".isdigit(), "abc".isalpha(), "  ".isspace(), "Ab".isupper(),
      "ab".islower(), "ab1".isalnum())
print("xxhixx".strip("x"), "www.site.com".removeprefix("www."), "file.txt".removesuffix(".txt"))
print("{} items".format(3), "tab\tsep".expandtabs(4), "ABC".casefold())
print(",".join(str(n) for n in range(5)), "".join(["a", "b"]), "ab" * 2, "ab" < "b")
print(sorted("hello"), list("abc"), "hello"[1], "hello"[-1], "hello"[1:-1])

layers = [64, 32]
layers.append(16)
layers.extend([8, 4])
layers.insert(0, 128)
print(layers, len(layers))
print(layers.pop(), layers.pop(0), layers)
layers.remove(32)
print(layers, layers.index(16), layers.count(64))
nums = [5, 2, 9, 1, 5, 6]
ordered = sorted(nums)
nums.sort(reverse=True)
print(ordered, nums)
nums.reverse()
print(nums, nums[::-1], nums[1:5:2])
names = ["delta", "Alpha", "charlie", "bravo"]
names.sort(key=str.lower)
print(names, sorted(names, key=len), sorted(names))
clone = nums.copy()
clone[0] = 100
print(nums[0], clone[0], [1, 2] + [3], [0] * 3, [1, [2, 3]] == [1, [2, 3]])
nums[1:3] = [7, 7, 7]
print(nums)
del nums[::2]
print(nums)
nums.clear()
print(nums, [] == nums, [3, 1] < [3, 2])
stack = []
for token in "1 2 + 3 *".split():
    if token.isdigit():
        stack.append(int(token))
    else:
        right, left = stack.pop(), stack.pop()
        stack.append(left + right if token == "+" else left * right)
print("RPN result:", stack)

shape = (3, 4, 4)
print(shape, shape[0], shape[-2:], len(shape), shape.count(4), shape.index(4))
print(shape + (1,), (1,) * 3, (5,), tuple([1, 2]), (1, 2) < (1, 3), 4 in shape)
rows, cols = shape[1:]
print(rows * cols, sum(shape), max(shape), sorted(shape))
single = ("only",)
print(single, len(single), type(()).__name__, tuple("ab"))
try:
    shape[0] = 9
except TypeError as err:
    print("TypeError:", err)
