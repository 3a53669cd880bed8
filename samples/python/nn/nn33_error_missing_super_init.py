"""A Module subclass that forgets super().__init__() (uncaught AttributeError)."""
import torch
from torch import nn

torch.manual_seed(33)


class GoodBlock(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.linear = nn.Linear(width, width)

    def forward(self, x):
        return x + torch.relu(self.linear(x))


block = GoodBlock(4)
print("a correct block:", block)
print("its output:", block(torch.ones(1, 4)))


class ForgetfulBlock(nn.Module):
    def __init__(self, width):
        self.width = width  # plain attributes are fine...
        print("set width =", self.width)
        self.linear = nn.Linear(width, width)  # ...but a submodule needs Module.__init__

    def forward(self, x):
        return self.linear(x)


print("building the forgetful block")
broken = ForgetfulBlock(4)
print("never printed", broken)
