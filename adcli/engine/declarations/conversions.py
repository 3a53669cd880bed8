"""Copies, conversions and fills: clone, detach, to, the dtype casts, copy_, fill_, zero_.

One ``Op`` per op (see ``adcli/engine/declare.py``); the grad_fn classes, forward beside
backward, are in ``engine/ops/``.
"""

from __future__ import annotations

from adcli.engine import api as A
from adcli.engine import ops as O
from adcli.engine import sampling
from adcli.engine import storage as _storage
from adcli.engine.declare import Op, family
from adcli.engine.dtypes import (
    bool_,
    float16,
    float32,
    float64,
    int8,
    int16,
    int32,
    int64,
    uint8,
)


def _cast(name, dtype):
    return Op(name, f"a copy as {dtype} (input itself if it is one)", A._caster(dtype),
              (O.ToCopyBackward0,), in_torch=False)


# fmt: off
OPS = family(
    "Copies and conversions",
    Op("clone", "a copy that stays in the graph", A.clone, (O.CloneBackward0,), group="Shape",
       calculus={"CloneBackward0": (("self", "grad"),)}),
    Op("detach", "input cut from the graph, sharing its data", A.detach, method=False,
       group="Shape"),
    Op("contiguous", "input itself (arrays here are always contiguous)", A._contiguous,
       in_torch=False),
    Op("to", "a copy with another dtype or device", A._to, (O.ToCopyBackward0,),
       in_torch=False,
       calculus={"ToCopyBackward0": (("self", "grad.to(self.dtype)"),)}),
    Op("type", "the type name, or a copy as another type", A._type, (O.ToCopyBackward0,),
       in_torch=False),
    Op("type_as", "a copy with other's dtype", A.type_as, (O.ToCopyBackward0,),
       in_torch=False),
    Op("new_ones", "ones of the given size, with input's dtype unless told", A._new_ones,
       in_torch=False),
    Op("new_zeros", "zeros of the given size, with input's dtype unless told", A._new_zeros,
       in_torch=False),
    Op("new_empty", "a tensor of the given size, with input's dtype unless told",
       A._new_empty, in_torch=False),
    Op("new_full", "new_full(size, fill_value): filled, with input's dtype unless told",
       A._new_full, in_torch=False),
    Op("new_tensor", "new_tensor(data): a tensor of data, with input's dtype unless told",
       A._new_tensor, in_torch=False),
    _cast("float", float32), _cast("double", float64), _cast("half", float16),
    _cast("long", int64), _cast("int", int32), _cast("short", int16), _cast("bool", bool_),
    _cast("byte", uint8), _cast("char", int8),
    Op("cpu", "input itself (the CPU is the only device)", A._cpu, in_torch=False),
    Op("cuda", "refused as torch's CPU build refuses it", A._cuda, in_torch=False),
    Op("get_device", "-1: the CPU", A._get_device, in_torch=False),
    Op("data_ptr", "the address of the first element (views into one storage share it "
       "at the same offset)", A._data_ptr, in_torch=False),
    Op("conj", "input itself: the conjugate of a real tensor", A.conj,
       aliases=("conj_physical", "resolve_conj", "resolve_neg")),
    Op("real", "input itself: a real tensor's real part (a property of a tensor)", A._real,
       method=property(A._real)),
    Op("imag", "torch's refusal: a real tensor has no imaginary part (a property)", A.imag,
       method=property(A.imag)),
    Op("is_complex", "False: the engine's dtypes are real", A.is_complex),
    Op("is_conj", "False: no tensor carries a conjugate bit", A._is_false,
       aliases=("is_neg",)),
    Op("untyped_storage", "the bytes under the tensor (a view's are its base's)",
       _storage.untyped_storage, in_torch=False),
    Op("storage", "the elements under the tensor (a view's are its base's; deprecated)",
       _storage.storage, in_torch=False),
    Op("storage_offset", "where a view starts in its base's storage, in elements",
       A._storage_offset, in_torch=False),
    Op("is_pinned", "False: no memory is pinned on the CPU", A._is_pinned, in_torch=False),
    Op("get_num_threads", "the number of threads torch's CPU kernels may use", A.get_num_threads,
       method=False),
    Op("get_num_interop_threads", "the number of threads torch runs independent ops on",
       A.get_num_interop_threads, method=False),
    Op("set_num_threads", "set what get_num_threads() returns (the engine runs on one "
       "thread)", A.set_num_threads, method=False),
    Op("copy", "copy_(src): src's values written into input", A._copy_, (O.CopyBackwards,),
       method=False, in_torch=False, inplace=A._copy_,
       calculus={"CopyBackwards": (("self", "zeros_like(grad)"), ("src", "grad"))}),
    Op("zero", "zero_(): input filled with zeros", A._zero_, (O.ZeroBackward0,),
       method=False, in_torch=False, inplace=A._zero_,
       calculus={"ZeroBackward0": (("self", "zeros_like(grad)"),)}),
    Op("fill", "fill_(value): input filled with value", A._fill_,
       (O.FillBackward2, O.FillBackward3), method=False, in_torch=False, inplace=A._fill_,
       calculus={
           "FillBackward2": (("self", "zeros_like(grad)"),),
           "FillBackward3": (("self", "zeros_like(grad)"), ("value", "grad.sum()")),
       }),
    Op("normal", "a normal draw of mean and std (tensors or numbers); normal_(mean, std): "
       "input filled from a normal distribution", A.normal,
       (O.NormalBackward0, O.NormalBackward1, O.NormalBackward2, O.NormalBackward3),
       method=False, inplace=A._normal_,
       calculus={
           "NormalBackward0": (("self", "zeros_like(grad)"),),
           "NormalBackward1": (("mean", "zeros_like(grad)"),),
           "NormalBackward2": (("std", "zeros_like(grad)"),),
           "NormalBackward3": (("mean", "zeros_like(grad)"), ("std", "zeros_like(grad)")),
       }),
    Op("bernoulli", "1 with probability p, per element; bernoulli_(p): input filled so",
       A.bernoulli, (O.BernoulliBackward0, O.BernoulliBackward1, O.BernoulliBackward2),
       inplace=A._bernoulli_,
       calculus={
           "BernoulliBackward0": (("self", "zeros_like(grad)"),),
           "BernoulliBackward1": (("self", "zeros_like(grad)"),),
           "BernoulliBackward2": (("self", "zeros_like(grad)"),),
       }),
    Op("multinomial", "int64 indices drawn by the weights of each row", A.multinomial),
    Op("poisson", "a Poisson count drawn for each rate (torch's CPU stream)", sampling.poisson,
       (O.PoissonBackward0,), method=False,
       calculus={"PoissonBackward0": (("self", "zeros_like(grad)"),)}),
    Op("_standard_gamma", "a Gamma(input, 1) draw per element (torch's CPU stream), "
       "differentiable by implicit reparameterisation", sampling.standard_gamma,
       (sampling.StandardGammaBackward0,), method=False,
       calculus={"StandardGammaBackward0": (
           ("self", "grad * _standard_gamma_grad(self, result)"),)}),
    Op("binomial", "a Binomial(count, prob) draw per element (torch's CPU stream)",
       sampling.binomial, method=False),
    Op("random", "random_(from, to): input filled with integers from [from, to)", A._random_,
       (O.RandomBackward0, O.RandomBackward1, O.RandomBackward2), method=False, in_torch=False,
       inplace=A._random_,
       calculus={
           "RandomBackward0": (("self", "zeros_like(grad)"),),
           "RandomBackward1": (("self", "zeros_like(grad)"),),
           "RandomBackward2": (("self", "zeros_like(grad)"),),
       }),
    Op("exponential", "exponential_(lambd): input filled from an exponential distribution",
       A._exponential_, (O.ExponentialBackward0,), method=False, in_torch=False,
       inplace=A._exponential_,
       calculus={"ExponentialBackward0": (("self", "zeros_like(grad)"),)}),
    Op("uniform", "uniform_(a, b): input filled uniformly from [a, b)", A._uniform_,
       (O.UniformBackward0,), method=False, in_torch=False, inplace=A._uniform_,
       calculus={"UniformBackward0": (("self", "zeros_like(grad)"),)}),
    Op("logspace", "base ** (steps values from start to end), as torch rounds them",
       A.logspace, method=False, group="Creation"),
    Op("result_type", "the dtype an op on the two operands gives", A.result_type,
       method=False),
    Op("promote_types", "the smallest dtype both dtypes convert to", A.promote_types,
       method=False),
    Op("can_cast", "whether a result of one dtype may be written into the other",
       A.can_cast, method=False),
    Op("randint_like", "random integers in [low, high) in input's shape and dtype",
       A.randint_like, method=False),
)
# fmt: on
