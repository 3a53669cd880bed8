"""Masks combined with & | ^ ~, and integer bit shifts: the idioms of data-cleaning and
indexing exercises."""
import numpy as np
import torch

torch.manual_seed(7)
x = torch.randn(10)
inside = (x > -0.5) & (x < 0.5)
outside = (x <= -1) | (x >= 1)
print("inside:", inside)
print("outside:", outside, "count", outside.sum().item())
print("neither:", ~(inside | outside))
print("exactly one:", (x > 0) ^ (x.abs() > 1))
print(x[inside & (x > 0)])
print(torch.where(inside, x, torch.zeros_like(x)))

mask = x > 0
mask &= x < 1.5
print("mask &=", mask)
mask |= x < -2
print("mask |=", mask)

a = torch.tensor([True, False, True])
print(True & a, a | False, a ^ a, False ^ a)
flags = torch.tensor([0b1010, 0b0110, 0b1111])
print(flags & 0b0011, flags | 1, flags ^ torch.tensor([1, 2, 3]), ~flags)
print(torch.bitwise_and(flags, 6), flags.bitwise_or(8), torch.bitwise_xor(flags, flags))

u = torch.tensor([200, 3], dtype=torch.uint8)
print(u & 9, u | 1, u ^ 255, u << 1, u >> 1, u >> -1, 3 >> u)
print(torch.tensor([1, 2]) << 1, 1 << torch.tensor([2, 3]), torch.tensor([-8, 7]) >> 1)
print(torch.tensor([1, -1]) << 70, torch.tensor([-5]) >> 70, torch.tensor([5]) << -1)
print(torch.tensor([5], dtype=torch.int8) << 7, torch.tensor([-128], dtype=torch.int8) >> 9)
print(torch.tensor([5], dtype=torch.int32) << torch.tensor([33]), torch.tensor(3) << 2)
print(torch.tensor([True]) << 1, torch.bitwise_left_shift(torch.tensor([3]), 2))
print(torch.tensor([3]).bitwise_right_shift(1), torch.tensor([5]) << torch.tensor([1, 2]))

print(np.array([True, False]) & np.array([True, True]))


class Permissions:
    def __init__(self, bits):
        self.bits = bits

    def __and__(self, other):
        return Permissions(self.bits & other.bits)

    def __or__(self, other):
        return Permissions(self.bits | other.bits)

    def __repr__(self):
        return f"Permissions({self.bits:04b})"


print(Permissions(6) & Permissions(3), Permissions(4) | Permissions(1))

for make in (lambda: torch.tensor([1.5]) & torch.tensor([1.0]),
             lambda: torch.tensor([1]) & 1.5,
             lambda: torch.tensor([True]) | 2.5,
             lambda: torch.tensor([1.0]) << 1,
             lambda: torch.tensor([5]) >> 1.0,
             lambda: torch.tensor([True, False]) >> torch.tensor([True, True])):
    try:
        make()
    except NotImplementedError as e:
        print("NotImplementedError:", e)
