# ruff: noqa: E501 - torch's printed lines, verbatim
"""In-place Tensor methods (masked_fill_, index_put_, fill_diagonal_, the unary family, lerp_, cumsum_, addmm_, div_ with rounding_mode, the comparisons, transpose_) as torch 2.13 runs them: values, version counter, grad_fn, gradients, CopySlices on a view, and torch's errors.

The expected output was printed by torch 2.13.0+cpu running PROGRAM under CPython 3.11,
never by adcli."""

from __future__ import annotations

from adcli.engine import api
from adcli.lang.interpreter import Session

PROGRAM = """\
import torch


def show(name, f):
    try:
        r = f()
        print(name, r)
    except Exception as e:
        print(name, type(e).__name__ + ":", e)


# the attention mask, with autograd through it
scores = torch.tensor([[0.5, 1.0, -0.5], [2.0, 0.1, 0.3]], requires_grad=True)
s = scores * 2
mask = torch.tensor([[False, True, True], [False, False, True]])
v0 = s._version
out = s.masked_fill_(mask, float("-inf"))
print(out is s, s._version - v0, s.grad_fn.name())
p = torch.softmax(s, dim=-1)
p[:, 0].sum().backward()
print(p)
print(scores.grad)
# a leaf that requires grad refuses, under no_grad it may
w = torch.ones(2, 3, requires_grad=True)
show("leaf", lambda: w.masked_fill_(mask, 0.0))
with torch.no_grad():
    w.masked_fill_(mask, 0.0)
print(w, w.grad_fn)
# a write into a view: CopySlices on the base
b = scores.clone()
row = b[0]
row.masked_fill_(torch.tensor([True, False, True]), 5.0)
print(row.grad_fn.name(), b.grad_fn.name(), b._version)
b.sum().backward()
print(scores.grad)
# the unary family
x = torch.tensor([0.25, 1.5, 2.75, -3.5])
for name in ["log_", "floor_", "round_", "sin_", "cos_", "square_", "rsqrt_", "ceil_", "trunc_",
             "frac_", "sign_", "exp2_", "expm1_", "log1p_", "log2_", "log10_", "reciprocal_",
             "tan_", "sinh_", "cosh_", "asin_", "acos_", "atan_", "absolute_", "negative_", "fix_"]:
    y = x.clone()
    show(name, lambda: getattr(y, name)())
y = x.clone(); y.round_(decimals=1); print(y)
a = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
for name, f in [("sin_", lambda t: t.sin_()), ("square_", lambda t: t.square_()),
                ("rsqrt_", lambda t: t.rsqrt_()), ("log_", lambda t: t.log_()),
                ("lerp_", lambda t: t.lerp_(torch.ones(2, 2), 0.25)),
                ("lerp_t", lambda t: t.lerp_(torch.zeros(2, 2), torch.full((2, 2), 0.5))),
                ("cumsum_", lambda t: t.cumsum_(0)), ("cumprod_", lambda t: t.cumprod_(1)),
                ("addmm_", lambda t: t.addmm_(torch.ones(2, 2), torch.eye(2), beta=2, alpha=3)),
                ("div_floor", lambda t: t.div_(3, rounding_mode="floor")),
                ("div_trunc", lambda t: t.div_(torch.tensor(-3.0), rounding_mode="trunc")),
                ("eq_", lambda t: t.eq_(2.0)), ("gt_", lambda t: t.gt_(2.0)),
                ("remainder_", lambda t: t.remainder_(1.5)),
                ("transpose_", lambda t: t.transpose_(0, 1)),
                ("swapdims_", lambda t: t.swapdims_(0, 1)), ("t_", lambda t: t.t_()),
                ("index_put_", lambda t: t.index_put_((torch.tensor([0, 1]), torch.tensor([1, 1])),
                                                      torch.tensor([7.0, 8.0]))),
                ("index_put_acc", lambda t: t.index_put_((torch.tensor([0, 0]),),
                                                         torch.tensor([1.0, 2.0]), accumulate=True)),
                ("fill_diagonal_", lambda t: t.fill_diagonal_(-1.0))]:
    c = a.clone()
    v0 = c._version
    r = f(c)
    r.sum().backward()
    print(name, r is c, c._version - v0, c.grad_fn.name(), c.detach(), a.grad)
    a.grad = None
# the dtype rule: the result must fit the tensor's dtype
show("int sin_", lambda: torch.tensor([1, 2]).sin_())
show("int div_", lambda: torch.tensor([1, 2]).div_(2))
show("int div_ floor", lambda: torch.tensor([5, -7]).div_(2, rounding_mode="floor"))
show("int div_ trunc", lambda: torch.tensor([5, -7]).div_(2, rounding_mode="trunc"))
show("bad mode", lambda: torch.tensor([5.0]).div_(2, rounding_mode="round"))
show("long add_ float", lambda: torch.tensor([1, 2]).add_(torch.tensor([1.0, 2.0])))
show("bool add_", lambda: torch.tensor([True]).add_(1))
show("broadcast", lambda: torch.zeros(3).add_(torch.zeros(2, 3)))
show("expanded", lambda: torch.zeros(3).expand(2, 3).sin_())
show("float mask", lambda: torch.zeros(3).masked_fill_(torch.zeros(3), 1.0))
show("long mask", lambda: torch.zeros(3).masked_fill(torch.zeros(3, dtype=torch.long), 1.0))
show("value dims", lambda: torch.zeros(3).masked_fill_(torch.ones(3, dtype=torch.bool), torch.ones(2)))
show("long fill 1.5", lambda: torch.zeros(3, dtype=torch.long).masked_fill_(torch.ones(3, dtype=torch.bool), torch.tensor(1.5)))
show("eq_ int", lambda: torch.tensor([1, 2, 3]).eq_(2))
show("logical_not_", lambda: torch.tensor([0.0, 2.0]).logical_not_())
show("floor_divide_", lambda: torch.tensor([7, -7]).floor_divide_(2))
show("bitwise_and_", lambda: torch.tensor([6, 3]).bitwise_and_(torch.tensor([3, 3])))
show("fill_diagonal_ wrap", lambda: torch.zeros(7, 3).fill_diagonal_(5, wrap=True))
show("fill_diagonal_ tall", lambda: torch.zeros(5, 2).fill_diagonal_(5))
show("fill_diagonal_ 3d", lambda: torch.zeros(2, 2, 2).fill_diagonal_(5))
show("fill_diagonal_ 1d", lambda: torch.zeros(3).fill_diagonal_(5))
show("fill_diagonal_ unequal", lambda: torch.zeros(2, 3, 4).fill_diagonal_(5))
show("index_put_ dtype", lambda: torch.zeros(3).index_put_((torch.tensor([0]),), torch.tensor(7)))
show("index_put_ shape", lambda: torch.zeros(3, 3).index_put_((torch.tensor([0, 2]),), torch.tensor([7.0, 8.0])))
show("index_put_ bool", lambda: torch.zeros(3, 2).index_put_((torch.tensor([True, False, True]),), torch.tensor(7.0)))
show("index_put", lambda: torch.index_put(torch.zeros(3), (torch.tensor([0, 2]),), torch.tensor(7.0)))
x = torch.zeros(2, 3)
y = x.t()
print(y.t_() is y, y.shape, x._version, y._version)
x = torch.ones(2)
x /= 4
print(x)
show("int /=", lambda: torch.ones(2, dtype=torch.long).__itruediv__(2))
"""

TORCH_PRINTED = """\
True 1 MaskedFillBackward0
tensor([[1.0000, 0.0000, 0.0000],
        [0.9781, 0.0219, 0.0000]], grad_fn=<SoftmaxBackward0>)
tensor([[ 0.0000,  0.0000,  0.0000],
        [ 0.0428, -0.0428,  0.0000]])
leaf RuntimeError: a leaf Variable that requires grad is being used in an in-place operation.
tensor([[1., 0., 0.],
        [1., 1., 0.]], requires_grad=True) None
AsStridedBackward0 torch::autograd::CopySlices 1
tensor([[0.0000, 1.0000, 0.0000],
        [1.0428, 0.9572, 1.0000]])
log_ tensor([-1.3863,  0.4055,  1.0116,     nan])
floor_ tensor([ 0.,  1.,  2., -4.])
round_ tensor([ 0.,  2.,  3., -4.])
sin_ tensor([0.2474, 0.9975, 0.3817, 0.3508])
cos_ tensor([ 0.9689,  0.0707, -0.9243, -0.9365])
square_ tensor([ 0.0625,  2.2500,  7.5625, 12.2500])
rsqrt_ tensor([2.0000, 0.8165, 0.6030,    nan])
ceil_ tensor([ 1.,  2.,  3., -3.])
trunc_ tensor([ 0.,  1.,  2., -3.])
frac_ tensor([ 0.2500,  0.5000,  0.7500, -0.5000])
sign_ tensor([ 1.,  1.,  1., -1.])
exp2_ tensor([1.1892, 2.8284, 6.7272, 0.0884])
expm1_ tensor([ 0.2840,  3.4817, 14.6426, -0.9698])
log1p_ tensor([0.2231, 0.9163, 1.3218,    nan])
log2_ tensor([-2.0000,  0.5850,  1.4594,     nan])
log10_ tensor([-0.6021,  0.1761,  0.4393,     nan])
reciprocal_ tensor([ 4.0000,  0.6667,  0.3636, -0.2857])
tan_ tensor([ 0.2553, 14.1014, -0.4129, -0.3746])
sinh_ tensor([  0.2526,   2.1293,   7.7894, -16.5426])
cosh_ tensor([ 1.0314,  2.3524,  7.8533, 16.5728])
asin_ tensor([0.2527,    nan,    nan,    nan])
acos_ tensor([1.3181,    nan,    nan,    nan])
atan_ tensor([ 0.2450,  0.9828,  1.2220, -1.2925])
absolute_ tensor([0.2500, 1.5000, 2.7500, 3.5000])
negative_ tensor([-0.2500, -1.5000, -2.7500,  3.5000])
fix_ tensor([ 0.,  1.,  2., -3.])
tensor([ 0.2000,  1.5000,  2.8000, -3.5000])
sin_ True 1 SinBackward0 tensor([[ 0.8415,  0.9093],
        [ 0.1411, -0.7568]]) tensor([[ 0.5403, -0.4161],
        [-0.9900, -0.6536]])
square_ True 1 PowBackward0 tensor([[ 1.,  4.],
        [ 9., 16.]]) tensor([[2., 4.],
        [6., 8.]])
rsqrt_ True 1 RsqrtBackward0 tensor([[1.0000, 0.7071],
        [0.5774, 0.5000]]) tensor([[-0.5000, -0.1768],
        [-0.0962, -0.0625]])
log_ True 1 LogBackward0 tensor([[0.0000, 0.6931],
        [1.0986, 1.3863]]) tensor([[1.0000, 0.5000],
        [0.3333, 0.2500]])
lerp_ True 1 LerpBackward0 tensor([[1.0000, 1.7500],
        [2.5000, 3.2500]]) tensor([[0.7500, 0.7500],
        [0.7500, 0.7500]])
lerp_t True 1 LerpBackward1 tensor([[0.5000, 1.0000],
        [1.5000, 2.0000]]) tensor([[0.5000, 0.5000],
        [0.5000, 0.5000]])
cumsum_ True 1 CumsumBackward0 tensor([[1., 2.],
        [4., 6.]]) tensor([[2., 2.],
        [1., 1.]])
cumprod_ True 1 CumprodBackward0 tensor([[ 1.,  2.],
        [ 3., 12.]]) tensor([[3., 1.],
        [5., 3.]])
addmm_ True 1 AddmmBackward0 tensor([[ 5.,  7.],
        [ 9., 11.]]) tensor([[2., 2.],
        [2., 2.]])
div_floor True 1 DivBackward2 tensor([[0., 0.],
        [1., 1.]]) tensor([[0., 0.],
        [0., 0.]])
div_trunc True 1 DivBackward2 tensor([[-0., -0.],
        [-1., -1.]]) tensor([[0., 0.],
        [0., 0.]])
eq_ True 1 EqBackward0 tensor([[0., 1.],
        [0., 0.]]) tensor([[0., 0.],
        [0., 0.]])
gt_ True 1 GtBackward0 tensor([[0., 0.],
        [1., 1.]]) tensor([[0., 0.],
        [0., 0.]])
remainder_ True 1 RemainderBackward0 tensor([[1.0000, 0.5000],
        [0.0000, 1.0000]]) tensor([[1., 1.],
        [1., 1.]])
transpose_ True 1 TransposeBackward1 tensor([[1., 3.],
        [2., 4.]]) tensor([[1., 1.],
        [1., 1.]])
swapdims_ True 1 TransposeBackward1 tensor([[1., 3.],
        [2., 4.]]) tensor([[1., 1.],
        [1., 1.]])
t_ True 1 TBackward1 tensor([[1., 3.],
        [2., 4.]]) tensor([[1., 1.],
        [1., 1.]])
index_put_ True 1 IndexPutBackward0 tensor([[1., 7.],
        [3., 8.]]) tensor([[1., 0.],
        [1., 0.]])
index_put_acc True 1 IndexPutBackward0 tensor([[3., 6.],
        [3., 4.]]) tensor([[1., 1.],
        [1., 1.]])
fill_diagonal_ True 1 torch::autograd::CopySlices tensor([[-1.,  2.],
        [ 3., -1.]]) tensor([[0., 1.],
        [1., 0.]])
int sin_ RuntimeError: result type Float can't be cast to the desired output type Long
int div_ RuntimeError: result type Float can't be cast to the desired output type Long
int div_ floor tensor([ 2, -4])
int div_ trunc tensor([ 2, -3])
bad mode RuntimeError: div expected rounding_mode to be one of None, 'trunc', or 'floor' but found 'round'
long add_ float RuntimeError: result type Float can't be cast to the desired output type Long
bool add_ RuntimeError: result type Long can't be cast to the desired output type Bool
broadcast RuntimeError: output with shape [3] doesn't match the broadcast shape [2, 3]
expanded RuntimeError: unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.
float mask RuntimeError: masked_fill_ only supports boolean masks, but got mask with dtype float
long mask RuntimeError: masked_fill_ only supports boolean masks, but got mask with dtype long int
value dims RuntimeError: masked_fill_ only supports a 0-dimensional value tensor, but got tensor with 1 dimension(s).
long fill 1.5 tensor([1, 1, 1])
eq_ int tensor([0, 1, 0])
logical_not_ tensor([1., 0.])
floor_divide_ tensor([ 3, -4])
bitwise_and_ tensor([2, 3])
fill_diagonal_ wrap tensor([[5., 0., 0.],
        [0., 5., 0.],
        [0., 0., 5.],
        [0., 0., 0.],
        [5., 0., 0.],
        [0., 5., 0.],
        [0., 0., 5.]])
fill_diagonal_ tall tensor([[5., 0.],
        [0., 5.],
        [0., 0.],
        [0., 0.],
        [0., 0.]])
fill_diagonal_ 3d tensor([[[5., 0.],
         [0., 0.]],

        [[0., 0.],
         [0., 5.]]])
fill_diagonal_ 1d RuntimeError: dimensions must larger than 1
fill_diagonal_ unequal RuntimeError: all dimensions of input must be of equal length
index_put_ dtype RuntimeError: Index put requires the source and destination dtypes match, got Float for the destination and Long for the source.
index_put_ shape RuntimeError: shape mismatch: value tensor of shape [2] cannot be broadcast to indexing result of shape [2, 3]
index_put_ bool tensor([[7., 7.],
        [0., 0.],
        [7., 7.]])
index_put tensor([7., 0., 7.])
True torch.Size([2, 3]) 1 1
tensor([0.2500, 0.2500])
int /= RuntimeError: result type Float can't be cast to the desired output type Long
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
