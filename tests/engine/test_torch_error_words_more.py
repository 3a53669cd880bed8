# ruff: noqa: E501 - torch's printed lines, verbatim
"""torch's own words (more) for the errors of common mistakes: where with a non-bool condition,
split(0), repeat with too few dims, chunk(0), clamp() with no bounds, max()/min()/amax() of
an empty tensor, repeated reduction dims, randint/arange ranges, negative sizes, integer
dtypes for rand/randn and the float-only kernels, bool subtraction and negation, mm/outer/trace
of the wrong rank, a non-Tensor argument (its position), softmax's dim type.

The expected output was printed by torch 2.13.0+cpu running PROGRAM under CPython 3.11,
never by adcli."""

from __future__ import annotations

from adcli.engine import api
from adcli.lang.interpreter import Session

PROGRAM = """\
import torch
import torch.nn.functional as F
T = 4
x = torch.randn(2, 4, 3)
e = torch.randn(2, 0, 3)
b = torch.tensor([True])
f = torch.tensor([1.])
xi = torch.tensor([1, 2])
x2 = torch.tensor([[1, 2]])
import torch.nn as nn
x5 = torch.randn(2, 3)
L6 = [1.0, 2.0]
x6 = torch.ones(2)
cases = {
    'where': lambda: torch.where(torch.tril(torch.ones(T, T, dtype=torch.long)), x[0,:,:1].expand(4,4), 0.0),
    'split0': lambda: torch.ones(2).split(0),
    'splitlist': lambda: x.split([1, 1], dim=-1),
    'repeat': lambda: torch.ones(2,3).repeat(2),
    'chunk0': lambda: x.chunk(0, dim=-1),
    'clampm': lambda: x.clamp(),
    'clampf': lambda: torch.clamp(x),
    'maxe': lambda: x[:, :, :0].max(),
    'mine': lambda: x[:, :, :0].min(),
    '0d@': lambda: torch.tensor(0.5) @ x[0, 0],
    'sumdd': lambda: x.sum(dim=(1, 1)),
    'randint': lambda: torch.randint(T, 0, (2,)),
    'arange': lambda: torch.arange(T, 0, 1),
    'randn': lambda: torch.randn(-1),
    'zeros': lambda: torch.zeros(2,-3),
    'mean_int': lambda: torch.arange(3).mean(),
    'amaxe': lambda: x[:, :, :0].amax(),
    'argmaxe': lambda: x[:, :, :0].argmax(),
    'view': lambda: x.view(5,-1),
    'reshape': lambda: x.reshape(5,-1),
    'cat': lambda: torch.cat([x, torch.ones(2,3)]),
    'stack': lambda: torch.stack([x, torch.ones(2,3)]),
    'chunkneg': lambda: x.chunk(-1),
    'splitneg': lambda: x.split(-1),
    'narrow': lambda: x.narrow(0, 1, 5),
    'permute': lambda: x.permute(0,1),
    'transpose': lambda: x.transpose(0,5),
    'squeeze': lambda: x.squeeze(4),
    'unsqueeze': lambda: x.unsqueeze(5),
    'flatten': lambda: x.flatten(2,1),
    'expand': lambda: x.expand(3,4,3),
    'index_select': lambda: x.index_select(0, torch.tensor([0.0])),
    'gather': lambda: x.gather(0, torch.tensor([0.0])),
    'topk': lambda: x.topk(5),
    'softmaxdim': lambda: x.softmax(5),
    'multinomial': lambda: torch.multinomial(torch.tensor([0.,0.]), 1),
    'multinomialneg': lambda: torch.multinomial(torch.tensor([-1.,1.]), 1),
    'linspace': lambda: torch.linspace(0,1,-1),
    'full': lambda: torch.full((2,), [1]),
    'eye': lambda: torch.eye(-1),
    'normal': lambda: torch.normal(0., -1., (2,)),
    'rand_int': lambda: torch.rand(2, dtype=torch.long),
    'randn_int': lambda: torch.randn(2, dtype=torch.long),
    'item': lambda: x.item(),
    'tolist?': lambda: torch.tensor([[1,2],[3]]),
    'onehot': lambda: F.one_hot(torch.tensor([0.,1.])),
    'onehot2': lambda: F.one_hot(torch.tensor([0,5]), 3),
    'ce': lambda: F.cross_entropy(torch.randn(2,3), torch.tensor([0,3])),
    'ce_float': lambda: F.cross_entropy(torch.randn(2,3), torch.tensor([0,1]).float()),
    'nll': lambda: F.nll_loss(torch.randn(2,3), torch.tensor([0.,1.])),
    'mse': lambda: F.mse_loss(torch.randn(2,3), torch.ones(2,3,dtype=torch.long)),
    'bce': lambda: F.binary_cross_entropy(torch.tensor([2.]), torch.tensor([1.])),
    'emb': lambda: torch.nn.Embedding(3,2)(torch.tensor([3])),
    'embf': lambda: torch.nn.Embedding(3,2)(torch.tensor([1.])),
    'linear': lambda: torch.nn.Linear(3,2)(torch.ones(2,4)),
    'conv': lambda: torch.nn.Conv2d(3,2,3)(torch.ones(2,4,5,5)),
    'backward2': lambda: (x.requires_grad_() * 2).sum().backward() or (x*2).sum().backward(),
    'nograd': lambda: torch.ones(2).sum().backward(),
    'nonscalar': lambda: (torch.ones(2,requires_grad=True)*2).backward(),
    'numpy_grad': lambda: torch.ones(2,requires_grad=True).numpy(),
    'inplace_leaf': lambda: torch.ones(2,requires_grad=True).add_(1),
    'bool_sub': lambda: torch.tensor([True]) - torch.tensor([True]),
    'neg_bool': lambda: -torch.tensor([True]),
    'matmul0': lambda: torch.ones(2,3) @ torch.ones(2,3),
    'mmint': lambda: torch.ones(2,2) @ torch.ones(2,2, dtype=torch.long),
    'addshape': lambda: torch.ones(2,3) + torch.ones(3,2),
    'idx': lambda: x[5],
    'idx2': lambda: x[0,0,0,0],
    'maskidx': lambda: x[torch.tensor([True])],
    'float_idx': lambda: x[torch.tensor([0.])],
    'tensor_str': lambda: torch.tensor("a"),
    'mean_dim': lambda: x.mean(5),
    'std_int': lambda: torch.arange(3).std(),
    'var': lambda: torch.arange(3).var(),
    'rand_neg': lambda: torch.rand(2,-1),
    'ones_neg': lambda: torch.ones(-2),
    'empty_neg': lambda: torch.empty(-2),
    'randperm': lambda: torch.randperm(-1),
    'dropout': lambda: torch.nn.Dropout(1.5),
    'F.dropout': lambda: F.dropout(x, 1.5),
    'sqrt_int': lambda: torch.sqrt(torch.tensor([4])).dtype and torch.arange(3).sqrt_(),
    'cumsum': lambda: x.cumsum(5),
    'sort': lambda: x.sort(5),
    'repeat_neg': lambda: x.repeat(-1,1,1),
    'split_sizes': lambda: x.split([1,2], 0),
    'unbind': lambda: x.unbind(5),
    'diag': lambda: torch.diag(x),
    'trace': lambda: torch.trace(x),
    'inverse': lambda: torch.inverse(torch.ones(2,3)),
    'det': lambda: torch.det(torch.ones(2,3)),
    'outer': lambda: torch.outer(torch.ones(2,2), torch.ones(2)),
    'dot': lambda: torch.dot(torch.ones(2), torch.ones(3)),
    'dotd': lambda: torch.dot(torch.ones(2,2), torch.ones(2)),
    'bmm': lambda: torch.bmm(torch.ones(2,2), torch.ones(2,2)),
    'mm': lambda: torch.mm(torch.ones(2), torch.ones(2,2)),
    'mv': lambda: torch.mv(torch.ones(2,2), torch.ones(3)),
    'pow_int_neg': lambda: torch.tensor([2]) ** -1,
    'masked_fill': lambda: x.masked_fill(torch.ones(2,4,3), 0.),
    'masked_fill2': lambda: x.masked_fill(torch.ones(2,4,3,dtype=torch.bool), torch.ones(2)),
    'scatter': lambda: torch.zeros(3).scatter(0, torch.tensor([0.]), 1.),
    'view_noncontig': lambda: x.transpose(0,1).view(-1),
    'view2': lambda: x.view(-1,-1),
    'stack0': lambda: torch.stack([]),
    'cat0': lambda: torch.cat([]),
    'catdim': lambda: torch.cat([x, x], dim=5),
    'bool_any': lambda: bool(x),
    'int_multi': lambda: int(x),
    'float_multi': lambda: float(x),
    'len0': lambda: len(torch.tensor(1.)),
    'iter0': lambda: iter(torch.tensor(1.)),
    'ones_float': lambda: torch.ones(2.5),
    'arange0': lambda: torch.arange(0, 1, 0),
    'linear_in': lambda: torch.nn.Linear(3,2)(torch.ones(4,dtype=torch.long)),
    'softmax_nodim': lambda: F.softmax(torch.ones(2,dtype=torch.long), dim=0),
    'max_dim': lambda: e.max(1),
    'min_dim': lambda: e.min(1),
    'max_dim_ok': lambda: print(e.max(2)),
    'amax_dim': lambda: e.amax(1),
    'amin_dim': lambda: e.amin(1),
    'amin': lambda: e.amin(),
    'amax_ok': lambda: print(e.amax(2).shape),
    'argmax_dim': lambda: e.argmax(1),
    'argmin': lambda: e.argmin(),
    'amax_01': lambda: e.amax((0,1)),
    'amax_02': lambda: print(e.amax((0,2)).shape),
    'mx': lambda: torch.max(e),
    'sumdd_': lambda: e.sum(dim=(0,-3)),
    'meandd': lambda: e.mean(dim=(1,1)),
    'amaxdd': lambda: e.amax(dim=(1,1)),
    'stddd': lambda: torch.ones(2,3).std(dim=(1,1)),
    'logsumexpdd': lambda: torch.ones(2,3).logsumexp(dim=(1,1)),
    'zeros_': lambda: torch.zeros(2,-3),
    'full_': lambda: torch.full((2,-3), 1.),
    'ones_like': lambda: torch.empty(-1, 2),
    'tensor_new': lambda: torch.Tensor(-1),
    'randint_neg': lambda: torch.randint(0, 4, (-1,)),
    'randint2': lambda: torch.randint(4, 4, (2,)),
    'randint1': lambda: torch.randint(0, (2,)),
    'arange_neg': lambda: torch.arange(-1),
    'arange3': lambda: torch.arange(0, 4, -1),
    'arange_f': lambda: torch.arange(1., 0.),
    'clamp_': lambda: torch.ones(2).clamp_(),
    'clampmin': lambda: torch.clamp(torch.ones(2), None, None),
    'clip': lambda: torch.ones(2).clip(),
    'where_f': lambda: torch.where(torch.ones(2), 1., 0.),
    'where_1arg': lambda: torch.where(torch.ones(2)),
    'split0_empty': lambda: print(torch.ones(0).split(0)),
    'splitneg0': lambda: torch.ones(2,2).split(-2, 1),
    'repeat_t': lambda: torch.ones(2,3).repeat(),
    'chunkf': lambda: torch.ones(2,3).chunk(1.5),
    'rand0': lambda: torch.rand(-5),
    'multinomial_': lambda: torch.multinomial(torch.tensor([0.,0.]), 1),
    'torch.zeros(-1)': lambda: torch.zeros(-1),
    'torch.zeros((2,-1))': lambda: torch.zeros((2,-1)),
    'torch.zeros(2,-1,dtype=torch.long)': lambda: torch.zeros(2,-1,dtype=torch.long),
    'torch.ones(2,-1)': lambda: torch.ones(2,-1),
    'torch.empty(-1)': lambda: torch.empty(-1),
    'torch.FloatTensor(-1)': lambda: torch.FloatTensor(-1),
    'torch.LongTensor(2,-1)': lambda: torch.LongTensor(2,-1),
    'torch.Tensor(2,-1)': lambda: torch.Tensor(2,-1),
    'torch.rand(-1,2)': lambda: torch.rand(-1,2),
    'torch.randn(-1, -2)': lambda: torch.randn(-1, -2),
    'torch.normal(0.,1.,(-1,))': lambda: torch.normal(0.,1.,(-1,)),
    'torch.eye(2,-1)': lambda: torch.eye(2,-1),
    'torch.ones(2).new_zeros(-1)': lambda: torch.ones(2).new_zeros(-1),
    'torch.ones(2).new_ones(-1)': lambda: torch.ones(2).new_ones(-1),
    'torch.ones(2).new_empty(-1)': lambda: torch.ones(2).new_empty(-1),
    'torch.ones(2).new_full((-1,), 1)': lambda: torch.ones(2).new_full((-1,), 1),
    'torch.zeros(2).expand(-2)': lambda: torch.zeros(2).expand(-2),
    'torch.tensor([1,2]).repeat(-1)': lambda: torch.tensor([1,2]).repeat(-1),
    'torch.ones(2,3).tile(-1,1)': lambda: torch.ones(2,3).tile(-1,1),
    'torch.randperm(-1)': lambda: torch.randperm(-1),
    'torch.randint(2,(-1,))': lambda: torch.randint(2,(-1,)),
    'torch.ones(2).view(-2)': lambda: torch.ones(2).view(-2),
    'torch.ones(2).reshape(-2)': lambda: torch.ones(2).reshape(-2),
    'torch.ones(2).new_tensor(-1)': lambda: torch.ones(2).new_tensor(-1),
    'torch.rand(2, dtype=torch.long)': lambda: torch.rand(2, dtype=torch.long),
    'torch.randn(2, dtype=torch.long)': lambda: torch.randn(2, dtype=torch.long),
    'torch.rand(2, dtype=torch.int32)': lambda: torch.rand(2, dtype=torch.int32),
    'torch.randn(2, dtype=torch.bool)': lambda: torch.randn(2, dtype=torch.bool),
    'torch.empty(2,dtype=torch.long).uniform_()': lambda: torch.empty(2,dtype=torch.long).uniform_(),
    'torch.empty(2,dtype=torch.long).normal_()': lambda: torch.empty(2,dtype=torch.long).normal_(),
    'torch.linspace(0,1,-1)': lambda: torch.linspace(0,1,-1),
    'torch.logspace(0,1,-1)': lambda: torch.logspace(0,1,-1),
    'torch.eye(-1)': lambda: torch.eye(-1),
    'torch.eye(2,-1)_': lambda: torch.eye(2,-1),
    'torch.full((2,), [1])': lambda: torch.full((2,), [1]),
    'f-b': lambda: f-b,
    'b-f': lambda: b-f,
    'b-1': lambda: b-1,
    '1-b': lambda: 1-b,
    'b-True': lambda: b-True,
    'True-b': lambda: True-b,
    'rsub': lambda: torch.rsub(b, b),
    'sub_': lambda: f.sub_(b),
    'neg': lambda: -b,
    'negm': lambda: b.neg(),
    'pow': lambda: torch.tensor([2])**-1,
    'pow2': lambda: torch.tensor([2]).pow(-2),
    'rpow': lambda: 2 ** torch.tensor([-1]),
    'trace_': lambda: torch.trace(torch.ones(2)),
    'outer_': lambda: torch.outer(torch.ones(2), torch.ones(2,2)),
    'outer1': lambda: torch.outer(torch.ones(2,2), torch.ones(2,2)),
    'mm1': lambda: torch.mm(torch.ones(2,2), torch.ones(2)),
    'mm2': lambda: torch.ones(2).mm(torch.ones(2,2)),
    'chunkf_': lambda: torch.ones(2,2).chunk(1.5),
    'logcumsumexp': lambda: xi.logcumsumexp(0),
    'frexp': lambda: xi.frexp(),
    'softplus': lambda: F.softplus(xi),
    'logsigmoid': lambda: F.logsigmoid(xi),
    'leaky': lambda: F.leaky_relu(xi),
    'leaky_': lambda: F.leaky_relu_(xi),
    'gelu': lambda: F.gelu(xi),
    'elu': lambda: F.elu(xi),
    'hsig': lambda: F.hardsigmoid(xi),
    'hsw': lambda: F.hardswish(xi),
    'hardshrink': lambda: F.hardshrink(xi),
    'softshrink': lambda: F.softshrink(xi),
    'glu': lambda: F.glu(x2),
    'silu': lambda: F.silu(xi),
    'mish': lambda: F.mish(xi),
    'sigmoid': lambda: xi.sigmoid(),
    'tanh': lambda: torch.tanh(xi),
    'relu': lambda: F.relu(torch.tensor([True])),
    'softmax_tuple_5': lambda: x5.softmax(dim=(0, 1)),
    'reshape_bad_5': lambda: x5.reshape(4, 2),
    'cat_dims_5': lambda: torch.cat([x5, torch.ones(3)]),
    'cat_tuple_tensor_5': lambda: torch.cat(x5, x),
    'stack_tensor_5': lambda: torch.stack(x5),
    'tensor_list_tensors_5': lambda: torch.tensor([torch.ones(2), torch.ones(2)]),
    'linear_double_5': lambda: nn.Linear(3, 2)(x5.double()),
    'linear_int_5': lambda: nn.Linear(3, 2)(torch.ones(2, 3, dtype=torch.long)),
    'conv_3d_input_5': lambda: nn.Conv2d(3, 2, 3)(torch.ones(3, 5)),
    'bn_1_5': lambda: nn.BatchNorm1d(3)(torch.ones(1, 3)),
    'ce_shape_5': lambda: F.cross_entropy(torch.randn(4, 3), torch.tensor([0, 1])),
    'ce_target_2d_5': lambda: F.cross_entropy(torch.randn(4, 3), torch.zeros(4, 1, dtype=torch.long)),
    'mse_int_5': lambda: F.mse_loss(torch.ones(2), torch.tensor([1, 2])),
    'bce_range_5': lambda: F.binary_cross_entropy(torch.tensor([0.5]), torch.tensor([2.0])),
    'bce_shape_5': lambda: F.binary_cross_entropy(torch.tensor([0.5, 0.5]), torch.tensor([1.0])),
    'embedding_float_5': lambda: nn.Embedding(4, 2)(torch.tensor([1.0])),
    'embedding_oob_5': lambda: nn.Embedding(4, 2)(torch.tensor([4])),
    'optim_no_params_5': lambda: torch.optim.SGD([], lr=0.1),
    'optim_lr_5': lambda: torch.optim.SGD(nn.Linear(1, 1).parameters(), lr=-1),
    'optim_tensor_5': lambda: torch.optim.Adam(torch.ones(2, requires_grad=True)),
    'grad_int_5': lambda: torch.ones(2, dtype=torch.long, requires_grad=True),
    'item_multi_5': lambda: x5.item(),
    'index_float_5': lambda: x[1.5],
    'mm_dtype_5': lambda: torch.mm(x5, torch.ones(3, 2, dtype=torch.float64)),
    'expand_bad_5': lambda: x5.expand(3, 3),
    'transpose_oob_5': lambda: x5.transpose(0, 2),
    'squeeze_oob_5': lambda: x5.squeeze(3),
    'permute_dup_5': lambda: x5.permute(0, 0),
    'permute_len_5': lambda: x5.permute(0, 1, 2),
    'numpy_grad_5': lambda: torch.ones(2, requires_grad=True).numpy(),
    'inplace_leaf_5': lambda: torch.ones(2, requires_grad=True).mul_(2),
    'to_bad_5': lambda: x5.to("gpu"),
    'cuda_5': lambda: x5.cuda(),
    'device_bad_5': lambda: torch.device("gpu"),
    'dropout_p_5': lambda: nn.Dropout(p=1.5),
    'linear_neg_5': lambda: nn.Linear(-1, 2),
    'module_call_noforward_5': lambda: nn.Module()(x5),
    'view_neg2_5': lambda: x5.view(-1, -1),
    'masked_fill_float_mask_5': lambda: x5.masked_fill(x5, 0.0),
    'one_hot_neg_5': lambda: F.one_hot(torch.tensor([-1])),
    'topk_big_5': lambda: x5.topk(5),
    'multinomial_neg_5': lambda: torch.multinomial(torch.tensor([-1.0, 1.0]), 1),
    'multinomial_zero_5': lambda: torch.multinomial(torch.tensor([0.0, 0.0]), 1),
    'multinomial_nrep_5': lambda: torch.multinomial(torch.tensor([1.0, 1.0]), 3),
    'normal_neg_std_5': lambda: torch.normal(torch.zeros(2), -torch.ones(2)),
    'bernoulli_bad_5': lambda: torch.bernoulli(torch.tensor([1.5])),
    'clamp_min_gt_max_5': lambda: print(torch.clamp(x5, 1, 0)),
    'argmax_dim_oob_5': lambda: x5.argmax(5),
    'gather_dims_5': lambda: x5.gather(1, torch.tensor([0, 1])),
    'scatter_shape_5': lambda: torch.zeros(2, 3).scatter_(1, torch.tensor([[0, 1, 2, 0]]), 1.0),
    'index_select_2d_5': lambda: x5.index_select(0, torch.tensor([[0]])),
    'arange_float_step_zero_5': lambda: torch.arange(0, 1, 0.0),
    'logspace_neg_5': lambda: torch.logspace(0, 1, -2),
    'zeros_like_list_5': lambda: torch.zeros_like([1, 2]),
    'from_numpy_list_5': lambda: torch.from_numpy([1, 2]),
    'abs_6': lambda: torch.abs(L6),
    'sum_6': lambda: torch.sum(L6),
    'mean_6': lambda: torch.mean(L6),
    'exp_6': lambda: torch.exp(L6),
    'relu_6': lambda: torch.relu(L6),
    'Frelu_6': lambda: F.relu(L6),
    'softmax_6': lambda: torch.softmax(L6, 0),
    'zeros_like_6': lambda: torch.zeros_like(L6),
    'ones_like_6': lambda: torch.ones_like(L6),
    'randn_like_6': lambda: torch.randn_like(L6),
    'sigmoid_6': lambda: torch.sigmoid(L6),
    'max_6': lambda: torch.max(L6),
    'argmax_6': lambda: torch.argmax(L6),
    'flatten_6': lambda: torch.flatten(L6),
    'reshape_6': lambda: torch.reshape(L6, (2,)),
    'transpose_6': lambda: torch.transpose(L6, 0, 1),
    'unsqueeze_6': lambda: torch.unsqueeze(L6, 0),
    'matmul_6': lambda: torch.matmul(x6, L6),
    'mm_6': lambda: torch.mm(x6, L6),
    'dot_6': lambda: torch.dot(x6, L6),
    'isnan_6': lambda: torch.isnan(L6),
    'numel_6': lambda: torch.numel(L6),
    'sqrt_6': lambda: torch.sqrt(L6),
    'log_6': lambda: torch.log(L6),
    'round_6': lambda: torch.round(L6),
    'cumsum_6': lambda: torch.cumsum(L6, 0),
    'topk_6': lambda: torch.topk(L6, 1),
    'sort_6': lambda: torch.sort(L6),
}
for k, g in cases.items():
    try:
        g()
        print(k, "OK")
    except Exception as err:
        print(f"{k}: {type(err).__name__}: {err}")
"""

TORCH_PRINTED = """\
where: RuntimeError: where expected condition to be a boolean tensor, but got a tensor with dtype Long
split0: RuntimeError: split_size can only be 0 if dimension size is 0, but got dimension size of 2
splitlist: RuntimeError: split_with_sizes expects split_sizes to sum exactly to 3 (input tensor's size at dimension -1), but got split_sizes=[1, 1]
repeat: RuntimeError: Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor
chunk0: RuntimeError: chunk expects `chunks` to be greater than 0, got: 0
clampm: RuntimeError: torch.clamp: At least one of 'min' or 'max' must not be None
clampf: RuntimeError: torch.clamp: At least one of 'min' or 'max' must not be None
maxe: RuntimeError: max(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.
mine: RuntimeError: min(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.
0d@: RuntimeError: both arguments to matmul need to be at least 1D, but they are 0D and 1D
sumdd: RuntimeError: dim 1 appears multiple times in the list of dims
randint: RuntimeError: random_ expects 'from' to be less than 'to', but got from=4 >= to=0
arange: RuntimeError: upper bound and lower bound inconsistent with step sign
randn: RuntimeError: Trying to create tensor with negative dimension -1: [-1]
zeros: RuntimeError: zeros: Dimension size must be non-negative.
mean_int: RuntimeError: mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Long
amaxe: RuntimeError: amax(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.
argmaxe: IndexError: argmax(): Expected reduction dim to be specified for input.numel() == 0.
view: RuntimeError: shape '[5, -1]' is invalid for input of size 24
reshape: RuntimeError: shape '[5, -1]' is invalid for input of size 24
cat: RuntimeError: Tensors must have same number of dimensions: got 3 and 2
stack: RuntimeError: stack expects each tensor to be equal size, but got [2, 4, 3] at entry 0 and [2, 3] at entry 1
chunkneg: RuntimeError: chunk expects `chunks` to be greater than 0, got: -1
splitneg: RuntimeError: split expects split_size be non-negative, but got split_size=-1
narrow: RuntimeError: start (1) + length (5) exceeds dimension size (2).
permute: RuntimeError: permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = 3 is not equal to len(dims) = 2
transpose: IndexError: Dimension out of range (expected to be in range of [-3, 2], but got 5)
squeeze: IndexError: Dimension out of range (expected to be in range of [-3, 2], but got 4)
unsqueeze: IndexError: Dimension out of range (expected to be in range of [-4, 3], but got 5)
flatten: RuntimeError: flatten() has invalid args: start_dim cannot come after end_dim
expand: RuntimeError: The expanded size of the tensor (3) must match the existing size (2) at non-singleton dimension 0.  Target sizes: [3, 4, 3].  Tensor sizes: [2, 4, 3]
index_select: RuntimeError: index_select(): Expected dtype int32 or int64 for index
gather: RuntimeError: gather(): Expected dtype int32/int64 for index
topk: RuntimeError: selected index k out of range
softmaxdim: IndexError: Dimension out of range (expected to be in range of [-3, 2], but got 5)
multinomial: RuntimeError: invalid multinomial distribution (sum of probabilities <= 0)
multinomialneg: RuntimeError: probability tensor contains either `inf`, `nan` or element < 0
linspace: RuntimeError: number of steps must be non-negative
full: TypeError: full(): argument 'fill_value' (position 2) must be Number, not list
eye: RuntimeError: n must be greater or equal to 0, got -1
normal: RuntimeError: normal expects std >= 0.0, but found std -1
rand_int: NotImplementedError: "check_uniform_bounds" not implemented for 'Long'
randn_int: NotImplementedError: "normal_kernel_cpu" not implemented for 'Long'
item: RuntimeError: a Tensor with 24 elements cannot be converted to Scalar
tolist?: ValueError: expected sequence of length 2 at dim 1 (got 1)
onehot: RuntimeError: one_hot is only applicable to index tensor of type LongTensor.
onehot2: RuntimeError: Class values must be smaller than num_classes.
ce: IndexError: Target 3 is out of bounds.
ce_float: RuntimeError: expected target dtype to be Long or Byte, but got Float
nll: RuntimeError: expected target dtype to be Long or Byte, but got Float
mse OK
bce: RuntimeError: all elements of input should be between 0 and 1
emb: IndexError: index out of range in self
embf: RuntimeError: Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got torch.FloatTensor instead (while checking arguments for embedding)
linear: RuntimeError: mat1 and mat2 shapes cannot be multiplied (2x4 and 3x2)
conv: RuntimeError: Given groups=1, weight of size [2, 3, 3, 3], expected input[2, 4, 5, 5] to have 3 channels, but got 4 channels instead
backward2 OK
nograd: RuntimeError: element 0 of tensors does not require grad and does not have a grad_fn
nonscalar: RuntimeError: grad can be implicitly created only for scalar outputs
numpy_grad: RuntimeError: Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.
inplace_leaf: RuntimeError: a leaf Variable that requires grad is being used in an in-place operation.
bool_sub: RuntimeError: Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.
neg_bool: RuntimeError: Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.
matmul0: RuntimeError: mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)
mmint: RuntimeError: expected m1 and m2 to have the same dtype, but got: float != long int
addshape: RuntimeError: The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1
idx: IndexError: index 5 is out of bounds for dimension 0 with size 2
idx2: IndexError: too many indices for tensor of dimension 3
maskidx: IndexError: The shape of the mask [1] at index 0 does not match the shape of the indexed tensor [2, 4, 3] at index 0
float_idx: IndexError: tensors used as indices must be long, int, byte or bool tensors
tensor_str: TypeError: new(): invalid data type 'str'
mean_dim: IndexError: Dimension out of range (expected to be in range of [-3, 2], but got 5)
std_int: RuntimeError: std and var only support floating point and complex dtypes
var: RuntimeError: std and var only support floating point and complex dtypes
rand_neg: RuntimeError: Trying to create tensor with negative dimension -1: [2, -1]
ones_neg: RuntimeError: Trying to create tensor with negative dimension -2: [-2]
empty_neg: RuntimeError: Trying to create tensor with negative dimension -2: [-2]
randperm: RuntimeError: Trying to create tensor with negative dimension -1: [-1]
dropout: ValueError: dropout probability has to be between 0 and 1, but got 1.5
F.dropout: ValueError: dropout probability has to be between 0 and 1, but got 1.5
sqrt_int: RuntimeError: result type Float can't be cast to the desired output type Long
cumsum: IndexError: Dimension out of range (expected to be in range of [-3, 2], but got 5)
sort: IndexError: Dimension out of range (expected to be in range of [-3, 2], but got 5)
repeat_neg: RuntimeError: Trying to create tensor with negative dimension -2: [-2, 4, 3]
split_sizes: RuntimeError: split_with_sizes expects split_sizes to sum exactly to 2 (input tensor's size at dimension 0), but got split_sizes=[1, 2]
unbind: IndexError: Dimension out of range (expected to be in range of [-3, 2], but got 5)
diag: RuntimeError: diag(): Supports 1D or 2D tensors. Got 3D
trace: RuntimeError: trace: expected a matrix, but got tensor with dim 3
inverse: RuntimeError: linalg.inv: A must be batches of square matrices, but they are 2 by 3 matrices
det: RuntimeError: linalg.det: A must be batches of square matrices, but they are 2 by 3 matrices
outer: RuntimeError: outer: Expected 1-D argument self, but got 2-D
dot: RuntimeError: inconsistent tensor size, expected tensor [2] and src [3] to have the same number of elements, but got 2 and 3 elements respectively
dotd: RuntimeError: 1D tensors expected, but got 2D and 1D tensors
bmm: RuntimeError: batch1 must be a 3D tensor
mm: RuntimeError: self must be a matrix
mv: RuntimeError: size mismatch, got input (2), mat (2x2), vec (3)
pow_int_neg: RuntimeError: Integers to negative integer powers are not allowed.
masked_fill: RuntimeError: masked_fill_ only supports boolean masks, but got mask with dtype float
masked_fill2: RuntimeError: masked_fill_ only supports a 0-dimensional value tensor, but got tensor with 1 dimension(s).
scatter: RuntimeError: scatter(): Expected dtype int32/int64 for index
view_noncontig: RuntimeError: view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.
view2: RuntimeError: only one dimension can be inferred
stack0: RuntimeError: stack expects a non-empty TensorList
cat0: ValueError: torch.cat(): expected a non-empty list of Tensors
catdim: IndexError: Dimension out of range (expected to be in range of [-3, 2], but got 5)
bool_any: RuntimeError: Boolean value of Tensor with more than one value is ambiguous
int_multi: ValueError: only one element tensors can be converted to Python scalars
float_multi: ValueError: only one element tensors can be converted to Python scalars
len0: TypeError: len() of a 0-d tensor
iter0: TypeError: iteration over a 0-d tensor
ones_float: TypeError: ones(): argument 'size' (position 1) must be tuple of ints, not float
arange0: RuntimeError: step must be nonzero
linear_in: RuntimeError: mat1 and mat2 must have the same dtype, but got Long and Float
softmax_nodim: NotImplementedError: "softmax_lastdim_kernel_impl" not implemented for 'Long'
max_dim: IndexError: max(): Expected reduction dim 1 to have non-zero size.
min_dim: IndexError: min(): Expected reduction dim 1 to have non-zero size.
torch.return_types.max(
values=tensor([], size=(2, 0)),
indices=tensor([], size=(2, 0), dtype=torch.int64))
max_dim_ok OK
amax_dim: IndexError: amax(): Expected reduction dim 1 to have non-zero size.
amin_dim: IndexError: amin(): Expected reduction dim 1 to have non-zero size.
amin: RuntimeError: amin(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.
torch.Size([2, 0])
amax_ok OK
argmax_dim: IndexError: argmax(): Expected reduction dim 1 to have non-zero size.
argmin: IndexError: argmin(): Expected reduction dim to be specified for input.numel() == 0.
amax_01: IndexError: amax(): Expected reduction dim 1 to have non-zero size.
torch.Size([0])
amax_02 OK
mx: RuntimeError: max(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.
sumdd_: RuntimeError: dim 0 appears multiple times in the list of dims
meandd: RuntimeError: dim 1 appears multiple times in the list of dims
amaxdd: IndexError: amax(): Expected reduction dim 1 to have non-zero size.
stddd: RuntimeError: dim 1 appears multiple times in the list of dims
logsumexpdd: RuntimeError: dim 1 appears multiple times in the list of dims
zeros_: RuntimeError: zeros: Dimension size must be non-negative.
full_: RuntimeError: Trying to create tensor with negative dimension -3: [2, -3]
ones_like: RuntimeError: Trying to create tensor with negative dimension -1: [-1, 2]
tensor_new: RuntimeError: Trying to create tensor with negative dimension -1: [-1]
randint_neg: RuntimeError: Trying to create tensor with negative dimension -1: [-1]
randint2: RuntimeError: random_ expects 'from' to be less than 'to', but got from=4 >= to=4
randint1: RuntimeError: random_ expects 'from' to be less than 'to', but got from=0 >= to=0
arange_neg: RuntimeError: upper bound and lower bound inconsistent with step sign
arange3: RuntimeError: upper bound and lower bound inconsistent with step sign
arange_f: RuntimeError: upper bound and lower bound inconsistent with step sign
clamp_: RuntimeError: torch.clamp: At least one of 'min' or 'max' must not be None
clampmin: RuntimeError: torch.clamp: At least one of 'min' or 'max' must not be None
clip: RuntimeError: torch.clamp: At least one of 'min' or 'max' must not be None
where_f: RuntimeError: where expected condition to be a boolean tensor, but got a tensor with dtype Float
where_1arg OK
(tensor([]),)
split0_empty OK
splitneg0: RuntimeError: split expects split_size be non-negative, but got split_size=-2
repeat_t: TypeError: repeat() missing 1 required positional arguments: "repeats"
chunkf: TypeError: chunk(): argument 'chunks' (position 1) must be int, not float
rand0: RuntimeError: Trying to create tensor with negative dimension -5: [-5]
multinomial_: RuntimeError: invalid multinomial distribution (sum of probabilities <= 0)
torch.zeros(-1): RuntimeError: zeros: Dimension size must be non-negative.
torch.zeros((2,-1)): RuntimeError: zeros: Dimension size must be non-negative.
torch.zeros(2,-1,dtype=torch.long): RuntimeError: zeros: Dimension size must be non-negative.
torch.ones(2,-1): RuntimeError: Trying to create tensor with negative dimension -1: [2, -1]
torch.empty(-1): RuntimeError: Trying to create tensor with negative dimension -1: [-1]
torch.FloatTensor(-1): RuntimeError: Trying to create tensor with negative dimension -1: [-1]
torch.LongTensor(2,-1): RuntimeError: Trying to create tensor with negative dimension -1: [2, -1]
torch.Tensor(2,-1): RuntimeError: Trying to create tensor with negative dimension -1: [2, -1]
torch.rand(-1,2): RuntimeError: Trying to create tensor with negative dimension -1: [-1, 2]
torch.randn(-1, -2): RuntimeError: Trying to create tensor with negative dimension -1: [-1, -2]
torch.normal(0.,1.,(-1,)): RuntimeError: Trying to create tensor with negative dimension -1: [-1]
torch.eye(2,-1): RuntimeError: m must be greater or equal to 0, got -1
torch.ones(2).new_zeros(-1): RuntimeError: Trying to create tensor with negative dimension -1: [-1]
torch.ones(2).new_ones(-1): RuntimeError: Trying to create tensor with negative dimension -1: [-1]
torch.ones(2).new_empty(-1): RuntimeError: Trying to create tensor with negative dimension -1: [-1]
torch.ones(2).new_full((-1,), 1): RuntimeError: Trying to create tensor with negative dimension -1: [-1]
torch.zeros(2).expand(-2): RuntimeError: The expanded size of the tensor (-2) must match the existing size (2) at non-singleton dimension 0.  Target sizes: [-2].  Tensor sizes: [2]
torch.tensor([1,2]).repeat(-1): RuntimeError: Trying to create tensor with negative dimension -2: [-2]
torch.ones(2,3).tile(-1,1): RuntimeError: Trying to create tensor with negative dimension -2: [-2, 3]
torch.randperm(-1): RuntimeError: Trying to create tensor with negative dimension -1: [-1]
torch.randint(2,(-1,)): RuntimeError: Trying to create tensor with negative dimension -1: [-1]
torch.ones(2).view(-2): RuntimeError: invalid shape dimension -2 at index 0 of shape [-2]
torch.ones(2).reshape(-2): RuntimeError: invalid shape dimension -2 at index 0 of shape [-2]
torch.ones(2).new_tensor(-1) OK
torch.rand(2, dtype=torch.long): NotImplementedError: "check_uniform_bounds" not implemented for 'Long'
torch.randn(2, dtype=torch.long): NotImplementedError: "normal_kernel_cpu" not implemented for 'Long'
torch.rand(2, dtype=torch.int32): NotImplementedError: "check_uniform_bounds" not implemented for 'Int'
torch.randn(2, dtype=torch.bool): NotImplementedError: "normal_kernel_cpu" not implemented for 'Bool'
torch.empty(2,dtype=torch.long).uniform_(): NotImplementedError: "check_uniform_bounds" not implemented for 'Long'
torch.empty(2,dtype=torch.long).normal_(): NotImplementedError: "normal_kernel_cpu" not implemented for 'Long'
torch.linspace(0,1,-1): RuntimeError: number of steps must be non-negative
torch.logspace(0,1,-1): RuntimeError: number of steps must be non-negative
torch.eye(-1): RuntimeError: n must be greater or equal to 0, got -1
torch.eye(2,-1)_: RuntimeError: m must be greater or equal to 0, got -1
torch.full((2,), [1]): TypeError: full(): argument 'fill_value' (position 2) must be Number, not list
f-b: RuntimeError: Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.
b-f: RuntimeError: Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.
b-1: RuntimeError: Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.
1-b: RuntimeError: Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.
b-True: RuntimeError: Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.
True-b: RuntimeError: Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.
rsub: RuntimeError: Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.
sub_: RuntimeError: Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.
neg: RuntimeError: Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.
negm: RuntimeError: Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.
pow: RuntimeError: Integers to negative integer powers are not allowed.
pow2: RuntimeError: Integers to negative integer powers are not allowed.
rpow OK
trace_: RuntimeError: trace: expected a matrix, but got tensor with dim 1
outer_: RuntimeError: outer: Expected 1-D argument vec2, but got 2-D
outer1: RuntimeError: outer: Expected 1-D argument self, but got 2-D
mm1: RuntimeError: mat2 must be a matrix
mm2: RuntimeError: self must be a matrix
chunkf_: TypeError: chunk(): argument 'chunks' (position 1) must be int, not float
logcumsumexp: NotImplementedError: "logcumsumexp_out_cpu" not implemented for 'Long'
frexp: RuntimeError: torch.frexp() only supports floating-point dtypes
softplus: NotImplementedError: "softplus_cpu" not implemented for 'Long'
logsigmoid: NotImplementedError: "log_sigmoid_cpu" not implemented for 'Long'
leaky: NotImplementedError: "leaky_relu_cpu" not implemented for 'Long'
leaky_: NotImplementedError: "leaky_relu_cpu" not implemented for 'Long'
gelu: NotImplementedError: "GeluKernelImpl" not implemented for 'Long'
elu: NotImplementedError: "elu_cpu" not implemented for 'Long'
hsig: NotImplementedError: "hardsigmoid_cpu" not implemented for 'Long'
hsw: NotImplementedError: "hardswish_cpu" not implemented for 'Long'
hardshrink: NotImplementedError: "hardshrink_cpu" not implemented for 'Long'
softshrink: NotImplementedError: "softshrink_check" not implemented for 'Long'
glu: NotImplementedError: "glu_cpu" not implemented for 'Long'
silu: NotImplementedError: "silu_cpu" not implemented for 'Long'
mish: NotImplementedError: "mish_cpu" not implemented for 'Long'
sigmoid OK
tanh OK
relu: RuntimeError: Boolean inputs not supported for relu
softmax_tuple_5: TypeError: softmax(): argument 'dim' must be int, not tuple
reshape_bad_5: RuntimeError: shape '[4, 2]' is invalid for input of size 6
cat_dims_5: RuntimeError: Tensors must have same number of dimensions: got 2 and 1
cat_tuple_tensor_5: TypeError: cat(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor
stack_tensor_5: TypeError: stack(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor
tensor_list_tensors_5: ValueError: only one element tensors can be converted to Python scalars
linear_double_5: RuntimeError: mat1 and mat2 must have the same dtype, but got Double and Float
linear_int_5: RuntimeError: mat1 and mat2 must have the same dtype, but got Long and Float
conv_3d_input_5: RuntimeError: Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [3, 5]
bn_1_5: ValueError: Expected more than 1 value per channel when training, got input size torch.Size([1, 3])
ce_shape_5: ValueError: Expected input batch_size (4) to match target batch_size (2).
ce_target_2d_5: RuntimeError: 0D or 1D target tensor expected, multi-target not supported
mse_int_5 OK
bce_range_5: RuntimeError: all elements of target should be between 0 and 1
bce_shape_5: ValueError: Using a target size (torch.Size([1])) that is different to the input size (torch.Size([2])) is deprecated. Please ensure they have the same size.
embedding_float_5: RuntimeError: Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got torch.FloatTensor instead (while checking arguments for embedding)
embedding_oob_5: IndexError: index out of range in self
optim_no_params_5: ValueError: optimizer got an empty parameter list
optim_lr_5: ValueError: Invalid learning rate: -1
optim_tensor_5: TypeError: params argument given to the optimizer should be an iterable of Tensors or dicts, but got torch.FloatTensor
grad_int_5: RuntimeError: Only Tensors of floating point and complex dtype can require gradients
item_multi_5: RuntimeError: a Tensor with 6 elements cannot be converted to Scalar
index_float_5: IndexError: only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got float)
mm_dtype_5: RuntimeError: expected m1 and m2 to have the same dtype, but got: float != double
expand_bad_5: RuntimeError: The expanded size of the tensor (3) must match the existing size (2) at non-singleton dimension 0.  Target sizes: [3, 3].  Tensor sizes: [2, 3]
transpose_oob_5: IndexError: Dimension out of range (expected to be in range of [-2, 1], but got 2)
squeeze_oob_5: IndexError: Dimension out of range (expected to be in range of [-2, 1], but got 3)
permute_dup_5: RuntimeError: permute(): duplicate dims are not allowed.
permute_len_5: RuntimeError: permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = 2 is not equal to len(dims) = 3
numpy_grad_5: RuntimeError: Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.
inplace_leaf_5: RuntimeError: a leaf Variable that requires grad is being used in an in-place operation.
to_bad_5: RuntimeError: Expected one of cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, maia, xla, lazy, vulkan, mps, meta, hpu, mtia, privateuseone device type at start of device string: gpu
cuda_5: AssertionError: Torch not compiled with CUDA enabled
device_bad_5: RuntimeError: Expected one of cpu, cuda, ipu, xpu, mkldnn, opengl, opencl, ideep, hip, ve, fpga, maia, xla, lazy, vulkan, mps, meta, hpu, mtia, privateuseone device type at start of device string: gpu
dropout_p_5: ValueError: dropout probability has to be between 0 and 1, but got 1.5
linear_neg_5: RuntimeError: Trying to create tensor with negative dimension -1: [2, -1]
module_call_noforward_5: NotImplementedError: Module [Module] is missing the required "forward" function
view_neg2_5: RuntimeError: only one dimension can be inferred
masked_fill_float_mask_5: RuntimeError: masked_fill_ only supports boolean masks, but got mask with dtype float
one_hot_neg_5: RuntimeError: Class values must be non-negative.
topk_big_5: RuntimeError: selected index k out of range
multinomial_neg_5: RuntimeError: probability tensor contains either `inf`, `nan` or element < 0
multinomial_zero_5: RuntimeError: invalid multinomial distribution (sum of probabilities <= 0)
multinomial_nrep_5: RuntimeError: cannot sample n_sample > prob_dist.size(-1) samples without replacement
normal_neg_std_5: RuntimeError: normal expects all elements of std >= 0.0
bernoulli_bad_5: RuntimeError: Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error message be improved?  If so, please report an enhancement request to PyTorch.)
tensor([[0., 0., 0.],
        [0., 0., 0.]])
clamp_min_gt_max_5 OK
argmax_dim_oob_5: IndexError: Dimension out of range (expected to be in range of [-2, 1], but got 5)
gather_dims_5: RuntimeError: Index tensor must have the same number of dimensions as input tensor
scatter_shape_5 OK
index_select_2d_5: IndexError: index_select(): Index is supposed to be a vector
arange_float_step_zero_5: RuntimeError: step must be nonzero
logspace_neg_5: RuntimeError: number of steps must be non-negative
zeros_like_list_5: TypeError: zeros_like(): argument 'input' (position 1) must be Tensor, not list
from_numpy_list_5: TypeError: expected np.ndarray (got list)
abs_6: TypeError: abs(): argument 'input' (position 1) must be Tensor, not list
sum_6: TypeError: sum(): argument 'input' (position 1) must be Tensor, not list
mean_6: TypeError: mean(): argument 'input' (position 1) must be Tensor, not list
exp_6: TypeError: exp(): argument 'input' (position 1) must be Tensor, not list
relu_6: TypeError: relu(): argument 'input' (position 1) must be Tensor, not list
Frelu_6: TypeError: relu(): argument 'input' (position 1) must be Tensor, not list
softmax_6: TypeError: softmax(): argument 'input' (position 1) must be Tensor, not list
zeros_like_6: TypeError: zeros_like(): argument 'input' (position 1) must be Tensor, not list
ones_like_6: TypeError: ones_like(): argument 'input' (position 1) must be Tensor, not list
randn_like_6: TypeError: randn_like(): argument 'input' (position 1) must be Tensor, not list
sigmoid_6: TypeError: sigmoid(): argument 'input' (position 1) must be Tensor, not list
max_6: TypeError: max(): argument 'input' (position 1) must be Tensor, not list
argmax_6: TypeError: argmax(): argument 'input' (position 1) must be Tensor, not list
flatten_6: TypeError: flatten(): argument 'input' (position 1) must be Tensor, not list
reshape_6: TypeError: reshape(): argument 'input' (position 1) must be Tensor, not list
transpose_6: TypeError: transpose(): argument 'input' (position 1) must be Tensor, not list
unsqueeze_6: TypeError: unsqueeze(): argument 'input' (position 1) must be Tensor, not list
matmul_6: TypeError: matmul(): argument 'other' (position 2) must be Tensor, not list
mm_6: TypeError: mm(): argument 'mat2' (position 2) must be Tensor, not list
dot_6: TypeError: dot(): argument 'tensor' (position 2) must be Tensor, not list
isnan_6: TypeError: isnan(): argument 'input' (position 1) must be Tensor, not list
numel_6: TypeError: numel(): argument 'input' (position 1) must be Tensor, not list
sqrt_6: TypeError: sqrt(): argument 'input' (position 1) must be Tensor, not list
log_6: TypeError: log(): argument 'input' (position 1) must be Tensor, not list
round_6: TypeError: round(): argument 'input' (position 1) must be Tensor, not list
cumsum_6: TypeError: cumsum(): argument 'input' (position 1) must be Tensor, not list
topk_6: TypeError: topk(): argument 'input' (position 1) must be Tensor, not list
sort_6: TypeError: sort(): argument 'input' (position 1) must be Tensor, not list
"""


def test_the_program_prints_what_torch_prints():
    api.reset_state()
    out: list = []
    try:
        Session(dialect="py", out=out.append).exec_source(PROGRAM, filename="prog.py")
    finally:
        api.reset_state()
    got = "".join(out).splitlines()
    want = TORCH_PRINTED.splitlines()
    for i, (g, w) in enumerate(zip(got, want)):
        assert g == w, f"line {i + 1}"
    assert len(got) == len(want)


TILE_PROGRAM = """\
import torch
x = torch.arange(6).view(2, 3)
print(x.tile(2).shape, x.tile(2, 1).shape, x.tile((1, 2)).shape, x.tile(dims=(2,)).shape, torch.tile(x, (2,)).shape)
for f in [lambda: x.tile(-1), lambda: torch.tile(x, 2), lambda: x.tile(), lambda: x.tile(1.5)]:
    try:
        print(f().shape)
    except Exception as e:
        print(type(e).__name__, e)
"""

TILE_PRINTED = """\
torch.Size([2, 6]) torch.Size([4, 3]) torch.Size([2, 6]) torch.Size([2, 6]) torch.Size([2, 6])
RuntimeError Trying to create tensor with negative dimension -3: [2, -3]
TypeError tile(): argument 'dims' (position 2) must be tuple of ints, not int
TypeError tile() missing 1 required positional arguments: "dims"
TypeError tile(): argument 'dims' (position 1) must be tuple of ints, not float
"""


def test_tile_as_a_method_and_a_function():
    # the method takes one int or the ints unpacked; torch.tile wants a tuple
    api.reset_state()
    out: list = []
    try:
        Session(dialect="py", out=out.append).exec_source(TILE_PROGRAM, filename="prog.py")
    finally:
        api.reset_state()
    assert "".join(out) == TILE_PRINTED
