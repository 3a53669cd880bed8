"""A user exception raised inside a generator, through a method, and never caught."""
import math


class TrainingDiverged(Exception):
    """Raised when the loss stops being a finite number."""


class Trainer:
    def __init__(self, lr):
        self.lr = lr
        self.x = 1.0

    def losses(self, steps):
        for step in range(steps):
            loss = self.x ** 2
            if not math.isfinite(loss) or loss > 1e6:
                raise TrainingDiverged(f"loss became {loss:.3g} at step {step} (lr={self.lr})")
            yield step, loss
            self.x -= self.lr * 2 * self.x

    def fit(self, steps):
        history = []
        for step, loss in self.losses(steps):
            history.append(loss)
            print(f"step {step:2d}: x={self.x:+.4g} loss={loss:.4g}")
        return history


good = Trainer(lr=0.25).fit(4)
print("stable run finished with", len(good), "losses; last", good[-1])
try:
    Trainer(lr=5.0).fit(10)
except TrainingDiverged as err:
    print("caught once:", err)
print("now without a try block:")
Trainer(lr=1.5).fit(30)
