# ruff: noqa
import io
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
buf = io.BytesIO()
torch.save(model.state_dict(), buf)
print(type(buf), buf.tell() > 0)
try:
    torch.load(buf)
except EOFError as e:
    print("EOFError", repr(str(e)))
buf.seek(0)
sd = torch.load(buf)
print(list(sd.keys()))
clone = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
print(clone.load_state_dict(sd))
x = torch.randn(2, 3)
print(torch.equal(clone(x), model(x)))
with torch.no_grad():
    model[0].weight.zero_()
print(sd["0.weight"].abs().sum() > 0)
buf2 = io.BytesIO()
torch.save({"epoch": 3, "opt": torch.optim.SGD(model.parameters(), lr=0.1).state_dict()}, buf2)
buf2.seek(0)
ck = torch.load(buf2)
print(ck["epoch"], ck["opt"]["param_groups"][0]["lr"])
s = io.StringIO()
s.write("hello\n")
print("world", file=s)
s.write("line3")
print(repr(s.getvalue()))
s.seek(0)
print(s.readline(), end="")
print(s.read())
for line in io.StringIO("a\nb\nc"):
    print(line.strip())
with io.StringIO("x") as f:
    print(f.read(), f.closed)
print(f.closed)
b = io.BytesIO(b"abc")
print(b.read(2), b.getvalue(), b.tell())
b.write(b"Z")
print(b.getvalue())
import json
out = io.StringIO()
json.dump({"a": [1, 2]}, out)
print(out.getvalue())
try:
    io.BytesIO().write("text")
except TypeError as e:
    print("TypeError:", e)
from io import BytesIO, StringIO
print(BytesIO, StringIO, type(StringIO()))
