# ruff: noqa
print((1024).to_bytes(2, "big"), int.from_bytes(b"\x04\x00", "big"), (255).to_bytes(1, byteorder="little"), (5).bit_length())
print((-2).to_bytes(2, "little", signed=True), int.from_bytes(b"\xfe\xff", "little", signed=True))
print((65).to_bytes(), int.from_bytes([1, 0]))
try:
    (256).to_bytes(1, "big")
except OverflowError as e:
    print("OverflowError:", e)
try:
    (1).to_bytes(2, "middle")
except ValueError as e:
    print("ValueError:", e)
class Base:
    registry = []
    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        Base.registry.append(cls.__name__)
class A(Base):
    pass
class B(A):
    pass
print(Base.registry)
print([k.__name__ for k in B.__mro__])
import torch.nn as nn
class Base:
    def __init_subclass__(cls):
        cls.tag = cls.__name__.lower()
class Child(Base):
    pass
print(Child.tag, Child.__mro__)
print(nn.Linear.__mro__)
class Net(nn.Module):
    pass
print(Net.__mro__, type(Net()).__mro__[1] is nn.Module)
class MyErr(ValueError):
    pass
print(MyErr.__mro__)
print(Child().__class__.__mro__[-1])
