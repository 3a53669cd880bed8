"""See the gradient: graph pictures, explain, gradcheck, plots."""
