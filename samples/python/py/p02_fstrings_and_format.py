"""Formatting numbers and text: f-strings, str.format, % and format()."""
import math

x = 3.14159265
n = 1234567
name = "loss"
ratio = 0.0825
items = ["w", "b"]
point = {"x": 1.5, "y": -2.25}

print(f"{x}")
print(f"[{x:.2f}] [{x:>8.3f}] [{x:<8.2f}] [{x:^10.1f}] [{x:08.3f}] [{x:+.1f}]")
print(f"[{n:,}] [{n:_}] [{n:>12,}] [{n:e}] [{n:.2e}] [{-n:,d}]")
print(f"[{ratio:.1%}] [{ratio:%}] [{0.5:.0%}]")
print(f"[{255:x}] [{255:X}] [{255:#x}] [{5:b}] [{5:#010b}] [{8:o}] [{65:c}]")
print(f"[{7:3d}] [{7:03d}] [{7:<3d}] [{7:^5d}] [{-7:5d}] [{7:+d}] [{7: d}]")
print(f"[{name:>8}] [{name:<8}] [{name:^8}] [{name:*^10}] [{name:.2}]")
accented = "caf\u00e9"
print(f"{name!r} {name!s} {items!r} {accented!a} {accented!r}")
width, precision = 10, 4
print(f"[{x:{width}.{precision}f}] [{name:>{width}}]")
print(f"{point['x']} and {point['y']:.1f}; {items[0]}{items[-1]}")
print(f"{'nested'} {f'{n:,}'} {len(items) * 2}")
print(f"{x=:.3f} {n=}")
print(f"{{literal braces}} {x:.0f}")
print(f"{math.pi:.10f} {math.e:g} {1e-5:g} {123456789.0:g} {1.5e300:g}")
print(f"{0.1 + 0.2} {0.1 + 0.2:.17g} {2 / 3:.3} {1/3!r}")
print(f"{True} {None} {3 > 2!s}")

print("{} + {} = {}".format(1, 2, 1 + 2))
print("{0} {1} {0}".format("a", "b"))
print("{name} is {value:.3f}".format(name="pi", value=math.pi))
print("{0[1]} {1[x]}".format(items, point))
print("{:>6}|{:<6}|{:^6}|".format("r", "l", "c"))
print("{:,.2f}".format(9876543.21))
print("{!r:>10}".format("hi"))

print("%s has %d items" % ("list", 3))
print("%5.2f|%-8s|%03d|%x|%e" % (x, "left", 7, 255, 12345.678))
print("%(lr).0e and %(epochs)d" % {"lr": 0.001, "epochs": 10})
print("%r vs %s" % ("text", "text"))
print("100%% done" % ())
print("%.3g %g %G" % (0.000123456, 1e20, 1e-20))

print(format(x, ".3f"), format(n, ","), format("hi", "*>5"), format(42))
print(format(1e100, ".2e"), format(-0.0), format(float("inf")), format(float("nan")))
print(round(2.5), round(3.5), round(2.675, 2), round(-1.5), round(7.123456, 3))
print(str(1e16), str(1e-5), str(123.0), str(0.1), repr(1 / 7))
