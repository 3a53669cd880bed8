"""Minimizing the Rosenbrock function by hand: plain GD vs momentum, with a history."""
from collections import namedtuple

import torch

Record = namedtuple("Record", "step loss x y")


def rosenbrock(p, a=1.0, b=100.0):
    x, y = p[0], p[1]
    return (a - x) ** 2 + b * (y - x ** 2) ** 2


def minimize(start, lr, steps, momentum=0.0, every=300):
    p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    velocity = torch.zeros_like(p)
    history = []
    for step in range(steps + 1):
        loss = rosenbrock(p)
        (grad,) = torch.autograd.grad(loss, p)
        if step % every == 0:
            x, y = p.tolist()
            history.append(Record(step, round(loss.item(), 6), round(x, 4), round(y, 4)))
        with torch.no_grad():
            velocity = momentum * velocity + grad
            p -= lr * velocity
    return p.detach(), history


def main():
    print("rosenbrock at (1, 1):", rosenbrock(torch.tensor([1.0, 1.0])).item())
    print("rosenbrock at (-1.5, 2):", rosenbrock(torch.tensor([-1.5, 2.0])).item())
    for label, momentum in (("plain", 0.0), ("momentum", 0.9)):
        final, history = minimize([-1.5, 2.0], lr=1e-4 if momentum else 1e-3, steps=1200,
                                  momentum=momentum)
        print(f"--- {label} (momentum={momentum})")
        for rec in history:
            print(f"  step {rec.step:5d}: loss={rec.loss:<12} at ({rec.x:+.4f}, {rec.y:+.4f})")
        best = min(history, key=lambda r: r.loss)
        print(f"  best recorded: step {best.step}, loss {best.loss}")
        print(f"  final point: {[round(v, 3) for v in final.tolist()]}")
        print("  distance to (1, 1):", round((final - torch.ones(2, dtype=torch.float64)).norm().item(), 3))

    # The gradient of rosenbrock by hand, checked at a few points.
    for point in ([0.0, 0.0], [1.0, 1.0], [-1.0, 0.5], [2.0, 3.0]):
        p = torch.tensor(point, dtype=torch.float64, requires_grad=True)
        rosenbrock(p).backward()
        x, y = point
        by_hand = [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)]
        print(point, "->", p.grad.tolist(), "matches:", p.grad.tolist() == by_hand)


if __name__ == "__main__":
    main()
