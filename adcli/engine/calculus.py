"""The gradient formulas of the grad_fn classes, served from the op declarations.

Every grad_fn (``Node`` subclass) the engine records has a formula for the gradient it
passes to each of its inputs, in the order of the node's inputs (``node._next``): the
``calculus`` of an ``Op`` (``engine/declare.py``) for the classes an op declares, and
``declarations/internal.py`` for the others (the nodes of backward formulas, views, writes,
autograd's own). A custom ``autograd.Function``'s nodes get a generic formula naming it.

- ``formula_of(node_or_name)``: ``((input, formula), ...)`` or None. For a node (or its
  class), ``*NAME`` entries are spread over its actual inputs, ``NAME[0]``, ``NAME[1]``...
- ``local_derivative(formula)``: ``LOCAL`` of an elementwise ``grad * LOCAL`` (``1`` for
  ``grad``), else None.

The notation is derivatives.yaml's: ``grad`` is the incoming gradient, ``result`` the
node's output, and the other names are the op's inputs and parameters (``PARAMETERS``) or
functions (``FUNCTIONS`` lists the ones that are not torch's own). Sums over broadcast
dims are left out: the engine adds them.
"""

from __future__ import annotations

import ast
import re

from adcli.engine import declarations

# Names a formula may use besides its node's inputs, ``grad`` and ``result``: the op's
# parameters (numbers, dims, index tensors kept on the node) and what the node saved.
PARAMETERS = {
    "A": "the matrix (batch) decomposed or inverted",
    "B": "the right-hand side of linalg.solve / lstsq",
    "L": "the lower-triangular Cholesky factor (result, or result.mT when upper=True)",
    "Q": "the Q factor of linalg.qr", "R": "the R factor of linalg.qr",
    "S": "the singular values", "U": "the left singular vectors",
    "Vh": "the right singular vectors, transposed",
    "accumulate": "whether index_put_ adds instead of writing",
    "alpha": "the multiplier of other (add, sub), of the product (addmm, baddbmm), of the "
             "source (index_add), or elu's alpha",
    "approximate": "gelu's 'none' or 'tanh'",
    "axes": "the dims the statistics are taken over (all but the channel dim in batch_norm, "
            "the normalized last dims in layer_norm)",
    "base": "the number raised to a tensor power (number ** tensor)",
    "beta": "the multiplier of input (addmm, baddbmm), softplus's beta, smooth_l1's beta",
    "cols": "the columns of each block (cols[i]: of block i)",
    "condition": "the bool mask of torch.where",
    "correction": "the degrees of freedom subtracted (1: Bessel's correction)",
    "ctx": "the context object of a custom Function",
    "d_cell": "the cell state's gradient at every step (d_cell[0]: at the first step)",
    "d_gates": "the gradients of the gate pre-activations (i, f, g, o) at every step, by "
               "backpropagation through time from those of output, h_n and c_n "
               "(d_gates[0]: at the first step)",
    "delta": "huber_loss's delta",
    "diagonal": "the diagonal's offset (0: the main one, > 0 above it)",
    "dilation": "the spacing between kernel elements",
    "dim": "the dim (or dims) reduced, selected or scanned",
    "dim0": "the first dim swapped",
    "dim1": "the second dim swapped (transpose), or the first dim of the diagonal's plane",
    "dim2": "the second dim of the diagonal's plane",
    "dimension": "the dim unfolded",
    "dims": "the dims permuted, flipped, rolled or rotated",
    "divisor": "each window's divisor (its size, or divisor_override)",
    "eigenvalues": "the eigenvalues (ascending)", "eigenvectors": "the eigenvectors (columns)",
    "end": "the end of the slice", "eps": "logit's clamp: input limited to [eps, 1 - eps]",
    "exponent": "the power (a number, or a tensor input)",
    "forget": "the forget gate at every step (forget[0]: at the first step)",
    "grad_L": "the gradient of L (grad, or grad.mT when upper=True)",
    "groups": "the number of channel groups",
    "result_batch": "a tensor of addbmm's batch shape (batch, n, p)",
    "include_self": "whether self's own values take part in scatter_reduce/index_reduce",
    "reduce": "the reduction of scatter_reduce/index_reduce: 'sum', 'prod', 'mean', 'amax' "
              "or 'amin'",
    "h_prev": "the hidden state before every step",
    "index": "the index tensor (or the integer index of select/unbind)",
    "indices": "the indices the op returned (or the index tensors of advanced indexing)",
    "k": "the number of quarter turns",
    "lambd": "hardshrink's and softshrink's threshold",
    "first": "glu's first half of self along dim", "second": "glu's second half",
    "query": "attention's queries", "key": "attention's keys",
    "scale": "attention's scale (1 / sqrt(head size) unless given); embedding_bag's "
             "per-index factor (per_sample_weights, else 1; over the bag size for 'mean', "
             "over the index's count for scale_grad_by_freq)",
    "bag_of": "the bag of each index (embedding_bag)",
    "max_indices": "the row that gave each maximum (embedding_bag's 'max' mode)",
    "mode": "the op's mode ('sum', 'mean', 'max')",
    "lower": "rrelu's lowest slope", "upper": "rrelu's highest slope",
    "noise": "the slopes rrelu drew in training (1 where self > 0)",
    "channels": "the number of channels (dim 1)",
    "diff": "the differences x[i] - x[j] of the pairs of rows",
    "pairs": "the row pairs (i, j), i < j: spread adds to row i and subtracts from row j",
    "h": "multi_margin_loss's active terms: p * max(0, margin - x[y] + x[d]) ** (p - 1) * "
         "weight[y] for d != y",
    "active": "multilabel_margin_loss's (target y, class d) pairs with 1 - x[y] + x[d] > 0, "
              "as a (..., C, C) mask",
    "log_alpha_beta": "log of the sum over the positions s of the extended target with "
                      "label c of alpha[t, s] * beta[t, s] (CTC's forward-backward)",
    "attn": "the attention probabilities, softmax(query @ key.mT * scale + mask)",
    "mask": "the bool mask", "max": "the upper bound (None: none)",
    "max_val": "hardtanh's upper bound", "min": "the lower bound (None: none)",
    "min_val": "hardtanh's lower bound",
    "negative_slope": "leaky_relu's slope below 0",
    "norm": "the loss's scale: 1 / (number of elements) for reduction='mean', else 1",
    "offset": "the diagonal's offset",
    "offsets": "where each tensor starts along dim (offsets[i]: tensor i)",
    "n": "the order of polygamma's derivative of digamma",
    "ord": "the order of the vector norm",
    "maxnorm": "renorm's largest norm a slice keeps",
    "other": "the second operand, where it is a Python number",
    "other_axes": "the dims that are not normalized (layer_norm's leading dims; the batch "
                  "and spatial dims in group_norm)",
    "group_axes": "the dims of one group of one sample (group_norm: its channels and their "
                  "positions)",
    "output": "which output of a multi-output op this node is ('S', 'U', 'Vh', 'Q', 'R', "
              "'eigenvalues', 'eigenvectors', 'sign', 'logabsdet')",
    "p": "the order of the p-norm distance",
    "base_grid": "affine_grid's (x, y, 1) at every output pixel",
    "upscale_factor": "pixel_shuffle's r", "downscale_factor": "pixel_unshuffle's r",
    "pad": "the padding amounts, (before, after) per dim from the last",
    "padding": "the zero padding on each side",
    "padding_idx": "the embedding row that gets no gradient (None: none)",
    "pi": "3.14159...", "pos_weight": "the weight of positive examples (1 when not given)",
    "reduction": "'none', 'mean' or 'sum'",
    "repeats": "the repetitions per dim",
    "rows": "the rows of each block (rows[i]: of block i)",
    "rstd": "1 / sqrt(var + eps) per normalized group",
    "invstd": "1 / sqrt(var + eps) per channel (the batch's, or the running one)",
    "inf": "infinity",
    "shifts": "the shifts per dim",
    "size": "the size of each window",
    "start": "the start of the slice",
    "step": "the step between windows (or of the slice)",
    "stride": "the stride of the windows",
    "target": "the class indices (nll_loss)",
    "threshold": "the threshold above which softplus is linear (threshold_backward: 0)",
    "total_weight": "the sum of the weights of the targets that count",
    "training": "whether batch statistics are used",
    "value": "the number (or 0-d tensor) written or multiplied, or attention's values",
    "view": "the region of the base that the view covers",
    "weight": "lerp's number weight, the class weights of a loss (1 when not given), or "
              "the layer's weight",
    "window_sizes": "the size of each output cell's window",
    "windows": "the input elements each output element reads",
    "xhat": "the normalized input, (input - mean) * invstd (or * rstd)",
}

# Functions a formula may call, beyond torch's own: what each one means.
FUNCTIONS = {
    "kept": "the reduced value with its reduced dims restored as size 1 (itself when "
            "keepdim), so that it broadcasts against the input",
    "gaps": "E[i, j] = eigenvalues[j] - eigenvalues[i], 1 on the diagonal",
    "skew": "X - X.mT",
    "svd_backward": "torch's svd_backward for the U or Vh output",
    "qr_backward": "torch's linalg_qr_backward for the Q or R output",
    "cdist_backward": "per row of x1, the sum over the rows of x2 of grad times the "
                      "derivative of ||x1_i - x2_j||_p in x1_i",
    "conv_transpose": "the transposed convolution (the convolution's adjoint in its input)",
    "conv_weight_grad": "for each weight element, the sum over the batch and the output "
                        "positions of grad times the input element it multiplied",
    "spread": "each window's value added to every input element of the window (pad: each "
              "output element's gradient added to the input element it copies)",
    "resample_backward": "each output element's gradient added to the input elements it was "
                         "interpolated from, times their weights (1 for nearest)",
    "resample": "the interpolation of the forward, applied to grad",
    "normal_cdf": "the standard normal distribution function",
    "normal_pdf": "the standard normal density",
    "gelu_tanh_derivative": "the derivative of x / 2 * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 "
                            "* x ** 3)))",
    "gelu_tanh_second_derivative": "the second derivative of the same",
    "unfold_backward": "each window's gradient added back where the window was read",
    "sum_tiles": "the sum of the tiles of grad (each of input's shape) that repeat made",
    "view_scatter": "the first tensor with its view region replaced by the last one",
    "fn_grad": "the gradients of the in-place op written into the view, one per input of it",
    "packed": "the gradients of all outputs of the call: grad at this output's position",
    "raises": "the backward raises this error",
    "one_hot": "one_hot(target, dim=-1): 1 at each target's class, along dim",
    "clamp_min": "clamp(x, min=...)",
    "constant_pad_nd": "F.pad with zeros (negative amounts crop)",
    "cat": "the tensors joined along dim",
    "grid_sample_backward": "for each grid point, the sum over channels of grad times the "
                            "bilinear interpolation's slope in x and y there (0 for "
                            "nearest), times the unnormalisation's scale",
    "fold": "F.fold with the forward's sizes: each column element added back to its pixel",
    "unfold": "F.unfold with the forward's sizes: the sliding blocks as columns",
    "pixel_shuffle": "F.pixel_shuffle: channel blocks spread over spatial blocks",
    "pixel_unshuffle": "F.pixel_unshuffle: the inverse of pixel_shuffle",
    "arange": "torch.arange(start, end, step)",
    "special_i1": "torch.special.i1, the modified Bessel function of order 1",
    "special_i0e": "torch.special.i0e, exp(-|x|) * i0(x)",
    "special_i1e": "torch.special.i1e, exp(-|x|) * i1(x)",
    "special_xlog1py": "torch.special.xlog1py, x * log1p(y) (0 where x is 0)",
    "special_zeta": "torch.special.zeta, the Hurwitz zeta function",
    "scatter_reduce_backward": "torch's scatter_reduce_backward: (self's, src's) gradient; "
                               "sum: grad, grad.gather; mean: divided by how many values "
                               "each position averages; prod: grad * result over the factor "
                               "(zeros handled apart); amax/amin: shared among the values "
                               "equal to the result; self's is 0 at index without "
                               "include_self",
    "index_reduce_backward": "the same for index_reduce, index_select for gather",
    "masked_scatter_backward": "grad.masked_select(mask), zero-padded to source's shape",
    "pinv_backward": "torch's pinv_backward: the gradient of the pseudoinverse, "
                     "-pinv.mH @ grad... in the products of the smaller dimension",
    "renorm_backward": "torch's renorm_backward: where(norm > maxnorm, maxnorm / (norm + 1e-7) "
                       "* (grad - norm_backward((self * grad).sum(other dims)) / (norm + "
                       "1e-7)), grad), the p-norm taken over all dims but dim",
}

# torch's own functions, meaning what they mean there
TORCH_FUNCTIONS = frozenset({
    "abs", "argsort", "channel_shuffle", "clamp", "cos", "cosh", "cross", "diag_embed",
    "einsum", "erfinv", "exp", "eye", "floor", "inverse", "isfinite", "log", "logsigmoid",
    "outer", "pinv", "rsqrt", "_standard_gamma_grad",
    "sgn", "sigmoid", "sin", "sinh", "softplus", "solve", "sqrt", "tanh", "tril", "unique",
    "where", "zeros_like",
})

_TEMPLATE = "{Function}"  # in the formulas of a custom Function's nodes: the Function's name
_TABLES: list = []


def _tables() -> tuple:
    """(by name, by class, inherited by base-class name, conflicts), built once."""
    if not _TABLES:
        by_name: dict = {}
        conflicts: list = []
        seen: dict = {}
        for source, table in declarations.calculus_sources():
            for cls_name, entries in table.items():
                entries = tuple(tuple(e) for e in entries)
                if cls_name in by_name and by_name[cls_name] != entries:
                    conflicts.append(f"{cls_name}: {seen[cls_name]} and {source} differ")
                    continue
                by_name[cls_name] = entries
                seen[cls_name] = source
        by_class = {cls: tuple(tuple(e) for e in entries)
                    for cls, entries in declarations.internal.BY_CLASS.items()}
        inherited = {name: tuple(tuple(e) for e in entries)
                     for name, entries in declarations.internal.INHERITED.items()}
        _TABLES.extend((by_name, by_class, inherited, conflicts))
    return tuple(_TABLES)


def calculus() -> dict:
    """Every declared formula by grad_fn class name (the ops' and the internal ones)."""
    return dict(_tables()[0])


def conflicts() -> list:
    """Class names declared with different formulas in two places (a test keeps it empty)."""
    return list(_tables()[3])


def _declared(cls: type) -> tuple | None:
    by_name, by_class, inherited, _ = _tables()
    if cls in by_class:
        return by_class[cls]
    if cls.__name__ in inherited:  # the base itself: the formula with its template
        return inherited[cls.__name__]
    for base in cls.__mro__[1:]:
        entries = inherited.get(base.__name__)
        if entries is not None:  # a custom Function's node: "<Name>Backward"
            function = cls.__name__.removesuffix("Backward")
            return tuple((n, f.replace(_TEMPLATE, function)) for n, f in entries)
    return by_name.get(cls.__name__)


def _fit(entries: tuple, n: int) -> tuple:
    """The entries for a node of ``n`` inputs: a trailing ``*NAME`` becomes ``NAME[j]``
    for each remaining input (``i`` in its formula becomes ``j``)."""
    if not entries or not entries[-1][0].startswith("*"):
        return entries
    fixed, (name, formula) = entries[:-1], entries[-1]
    extra = n - len(fixed)
    if extra < 0:
        return entries
    base = name[1:]
    return fixed + tuple((f"{base}[{j}]", re.sub(r"\bi\b", str(j), formula))
                         for j in range(extra))


def formula_of(node_or_name) -> tuple | None:
    """The gradient a grad_fn passes to each of its inputs: ``((input, formula), ...)``
    in the order of its inputs, or None where none is declared.

    Given a class name (``"MulBackward0"``), the declaration as written; given a node,
    fitted to its inputs; given a class, as for a node of it (a ``*NAME`` entry kept)."""
    if isinstance(node_or_name, str):
        by_name, _, inherited, _ = _tables()
        found = by_name.get(node_or_name)
        return inherited.get(node_or_name) if found is None else found
    if isinstance(node_or_name, type):
        return _declared(node_or_name)
    entries = _declared(type(node_or_name))
    if entries is None:
        return None
    return _fit(entries, len(getattr(node_or_name, "_next", ()) or ()))


_HEAD = re.compile(r"^\s*(-?)grad\s*([*/])\s*(.+?)\s*$", re.S)


def _scales_grad(tree: ast.expr) -> bool:
    """Whether ``tree`` is ``[-]grad`` times or divided by factors, grad leftmost: a chain
    of ``*`` and ``/`` (no ``@``) whose first operand is ``grad`` or ``-grad``."""
    node = tree
    while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult | ast.Div):
        node = node.left
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        node = node.operand
    return isinstance(node, ast.Name) and node.id == "grad" and node is not tree


def local_derivative(formula: str) -> str | None:
    """The local derivative of an elementwise VJP ``grad * LOCAL`` (or ``grad / X``,
    ``-grad * X``): ``LOCAL`` as written (``1 / X``, ``-X``); ``1`` for ``grad`` and
    ``-1`` for ``-grad``. None for any other formula (a reduction, a matrix product...)."""
    text = formula.strip()
    if text == "grad":
        return "1"
    if text == "-grad":
        return "-1"
    m = _HEAD.match(text)
    if m is None:
        return None
    try:
        tree = ast.parse(text, mode="eval").body
    except SyntaxError:
        return None
    if not _scales_grad(tree):
        return None
    sign, op, rest = m.groups()
    # the chain with grad replaced by 1 (or -1), written without the "1 *"
    if op == "/":
        return f"{sign}1 / {rest}"
    if not sign and _wrapped(rest):
        return rest[1:-1].strip()
    return f"{sign}{rest}"


def _wrapped(text: str) -> bool:
    """Whether one pair of parentheses encloses all of ``text``."""
    if not (text.startswith("(") and text.endswith(")")):
        return False
    depth = 0
    for j, c in enumerate(text):
        depth += c == "("
        depth -= c == ")"
        if depth == 0 and j < len(text) - 1:
            return False
    return True


def names_used(formula: str) -> tuple[set, set]:
    """(the names a formula reads, the functions it calls by name); names bound in its own
    comprehensions are left out. Raises SyntaxError for a formula that does not parse."""
    tree = ast.parse(formula.replace(_TEMPLATE, "Function"), mode="eval")
    bound = {t.id for c in ast.walk(tree) if isinstance(c, ast.comprehension)
             for t in ast.walk(c.target) if isinstance(t, ast.Name)}
    called = {n.func.id for n in ast.walk(tree)
              if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    calls = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    read = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and id(n) not in calls}
    return read - bound, called
