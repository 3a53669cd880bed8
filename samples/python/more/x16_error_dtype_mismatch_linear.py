# A pytorch/examples-style training script: argparse options, a main() function,
# and data loaded from numpy as float64 while the model's weights are float32.
import argparse

import numpy as np
import torch
import torch.nn as nn


def get_args(argv=None):
    parser = argparse.ArgumentParser(description="Linear regression on numpy data")
    parser.add_argument("--batch-size", type=int, default=5, metavar="N",
                        help="input batch size for training (default: 5)")
    parser.add_argument("--lr", type=float, default=0.1, help="learning rate")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--no-shuffle", action="store_true", default=False)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--amp", action="store_true", help="mixed precision (bfloat16 on CPU)")
    return parser.parse_args(argv)


def main():
    args = get_args([])  # no command line in a notebook-like run
    print(args)
    print(f"lr={args.lr} batch_size={args.batch_size} shuffle={not args.no_shuffle}")
    print(vars(get_args(["--lr", "0.5", "--no-shuffle"])))

    rng = np.random.default_rng(args.seed)
    features = rng.normal(size=(10, 3))
    targets = features @ np.array([1.0, -2.0, 0.5])
    print(features.dtype, targets.shape)

    X = torch.from_numpy(features)
    y = torch.from_numpy(targets).unsqueeze(1)
    print(X.dtype, y.dtype, X.shape)
    torch.manual_seed(args.seed)
    model = nn.Linear(3, 1)
    print(model.weight.dtype)
    print("float() fixes it:", model(X.float()).dtype)
    print(f"mse after fix: {nn.functional.mse_loss(model(X.float()), y.float()).item():.4f}")

    # the mixed-precision recipe, switched off by default as in the examples
    scaler = torch.amp.GradScaler("cpu", enabled=args.amp)
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr)
    with torch.autocast(device_type="cpu", dtype=torch.bfloat16, enabled=args.amp):
        loss = nn.functional.mse_loss(model(X.float()), y.float())
    scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
    print(f"amp={args.amp} loss dtype {loss.dtype} scaler enabled {scaler.is_enabled()}")
    with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
        low = model(X.float())
    print("under autocast:", low.dtype, low.shape)
    out = model(X)
    print(out)


if __name__ == "__main__":
    main()
