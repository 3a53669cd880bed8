def grad_of_mean_square(x):
    """do/dx_i for o = mean(3 * (x + 2) ** 2) with four elements: 6 * (x_i + 2) / 4."""
    n = x.numel()
    return 6 * (x + 2) / n


grad_of_mean_square(x)
