"""Record torch 2.13's ``torch.utils.data`` and ``torch.nn.init`` results for the engine's
tests (tests/engine/fixtures/data_init.json).

Run with real PyTorch:  /work/torchenv/bin/python tools/gen_data_init_fixtures.py

The scenarios below are written once against a torch-like namespace ``T`` (torch here,
adcli's engine in tests/engine/test_data.py and test_init.py, which load this file
without importing torch) and their results serialised the same way: tensors as dtype,
shape and the hex of their bytes (float32 bit patterns exactly), Python values by type,
errors as their type name and message. So the tests compare adcli's results with
torch's exactly.
"""

from __future__ import annotations

import collections
import json
import math
import os
import sys

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                   "tests", "engine", "fixtures", "data_init.json")

Point = collections.namedtuple("Point", ["x", "y"])


# ----------------------------------------------------------------------------- serialising

class Caught(dict):
    """An error recorded by ``catch`` (already a JSON value)."""


def ser(T, v):
    """A JSON value for ``v`` (a tensor, a Python value, or a container of them)."""
    if isinstance(v, Caught):
        return dict(v)
    if T.is_tensor(v):
        a = np.ascontiguousarray(T.np(v))
        return {"tensor": T.dtype_name(v), "shape": list(a.shape), "hex": a.tobytes().hex()}
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return {"py": type(v).__name__, "v": v}
    if isinstance(v, int):
        return {"py": "int", "v": v}
    if isinstance(v, float):
        return {"py": "float", "v": v.hex()}
    if isinstance(v, np.ndarray):
        return {"ndarray": str(v.dtype), "v": v.tolist()}
    if isinstance(v, tuple) and hasattr(v, "_fields"):
        return {"namedtuple": type(v).__name__, "v": [ser(T, x) for x in v]}
    if isinstance(v, tuple):
        return {"tuple": [ser(T, x) for x in v]}
    if isinstance(v, list):
        return {"list": [ser(T, x) for x in v]}
    if isinstance(v, dict):
        return {"dict": [[k, ser(T, x)] for k, x in v.items()]}
    return {"other": type(v).__name__}


def catch(T, fn):
    """``fn()``'s result, or the error it raised as {"error": type, "msg": message}."""
    try:
        return ser(T, fn())
    except Exception as e:  # noqa: BLE001 - both torch's and adcli's errors are recorded
        return Caught(error=T.error_kind(e), msg=str(e))


def epochs(T, loader, n):
    return [list(loader) for _ in range(n)]


# ----------------------------------------------------------------------------- data

def data_scenarios(T):
    D = T.data
    out = {}

    def ds(n=10):
        return D.TensorDataset(T.arange(n).float() * 0.5, T.arange(n))

    T.manual_seed(0)
    loader = D.DataLoader(ds(), batch_size=3)
    out["seq_len"] = len(loader)
    out["seq_epochs"] = epochs(T, loader, 2)
    out["seq_after"] = T.randn(3)

    T.manual_seed(0)
    loader = D.DataLoader(ds(), batch_size=4, shuffle=True)
    out["shuffle_len"] = len(loader)
    out["shuffle_epochs"] = epochs(T, loader, 3)
    out["shuffle_after"] = T.randn(5)

    T.manual_seed(123)
    loader = D.DataLoader(ds(11), batch_size=3, shuffle=True, drop_last=True)
    out["droplast_len"] = len(loader)
    out["droplast_epochs"] = epochs(T, loader, 2)
    out["droplast_after"] = T.randn(2)

    T.manual_seed(5)
    g = T.Generator()
    g.manual_seed(42)
    loader = D.DataLoader(ds(), batch_size=5, shuffle=True, generator=g)
    out["gen_epochs"] = epochs(T, loader, 2)
    out["gen_after_default"] = T.randn(2)
    out["gen_after_g"] = T.randn(2, generator=g)

    T.manual_seed(7)
    loader = D.DataLoader(ds(), batch_size=2, shuffle=True)
    first = None
    for b in loader:
        first = b
        break
    out["partial_first"] = first
    out["partial_next_epoch"] = epochs(T, loader, 1)
    it = iter(loader)
    out["iter_only_after"] = T.randn(2)
    out["iter_len"] = len(it)
    out["iter_first"] = next(it)

    T.manual_seed(1)
    loader = D.DataLoader(ds(6), batch_size=None, shuffle=True)
    out["nobatch_len"] = len(loader)
    out["nobatch"] = epochs(T, loader, 1)

    T.manual_seed(1)
    loader = D.DataLoader(ds(7), batch_size=3, collate_fn=lambda batch: [len(batch),
                                                                          batch[0][1]])
    out["collate_fn"] = epochs(T, loader, 1)

    class Squares(D.Dataset):
        def __init__(self, n):
            self.n = n

        def __len__(self):
            return self.n

        def __getitem__(self, i):
            return {"x": float(i) * 1.5, "y": i * i, "name": f"s{i}",
                    "pair": (i, [float(i), i % 2 == 0])}

    T.manual_seed(3)
    loader = D.DataLoader(Squares(7), batch_size=3, shuffle=True)
    out["dict_epochs"] = epochs(T, loader, 2)
    out["dict_after"] = T.randn(2)

    T.manual_seed(11)
    a, b = D.random_split(ds(), [3, 7])
    out["split_lengths"] = [a.indices, b.indices]
    out["split_after"] = T.randn(2)
    T.manual_seed(11)
    parts = D.random_split(ds(7), [0.5, 0.5])
    out["split_fractions"] = [p.indices for p in parts]
    parts = D.random_split(ds(10), [0.3, 0.3, 0.4])
    out["split_fractions3"] = [p.indices for p in parts]
    g = T.Generator()
    g.manual_seed(2)
    parts = D.random_split(range(8), [5, 3], generator=g)
    out["split_gen"] = [list(p) for p in parts]
    out["split_gen_item"] = parts[0][1]
    out["split_after2"] = T.randn(2)
    out["split_bad"] = catch(T, lambda: D.random_split(ds(), [3, 3]))
    out["split_bad_frac"] = catch(T, lambda: D.random_split(ds(), [1.5, -0.5]))
    T.manual_seed(4)
    sub = D.random_split(ds(), [4, 6])[0]
    out["subset_loader"] = epochs(T, D.DataLoader(sub, batch_size=3, shuffle=True), 2)
    out["subset_item"] = sub[2]
    out["subset_after"] = T.randn(2)

    cat = D.ConcatDataset([ds(3), ds(4)])
    out["concat"] = [len(cat), cat[0], cat[3], cat[-1], cat.cumulative_sizes]
    out["concat_add"] = len(ds(2) + ds(5))
    out["concat_bad"] = catch(T, lambda: cat[-8])
    out["concat_loader"] = epochs(T, D.DataLoader(cat, batch_size=4), 1)

    out["tds_item"] = ds()[4]
    out["tds_slice"] = ds()[2:4]
    out["tds_mismatch"] = catch(T, lambda: D.TensorDataset(T.arange(3), T.arange(4)))

    T.manual_seed(9)
    out["randsampler"] = list(D.RandomSampler(range(6)))
    g = T.Generator()
    g.manual_seed(9)
    out["randsampler_repl"] = list(D.RandomSampler(range(6), replacement=True, num_samples=40,
                                                   generator=g))
    out["randsampler_num"] = list(D.RandomSampler(range(4), num_samples=10))
    out["randsampler_empty"] = catch(T, lambda: D.RandomSampler([]))
    out["subsetrandom"] = list(D.SubsetRandomSampler([10, 20, 30, 40]))
    out["weighted"] = list(D.WeightedRandomSampler([0.1, 0.5, 2.0, 1.0], 12))
    out["weighted_norepl"] = list(D.WeightedRandomSampler([0.1, 0.5, 2.0, 1.0], 3,
                                                          replacement=False))
    out["sampler_after"] = T.randn(2)
    out["batchsampler"] = list(D.BatchSampler(range(10), 4, False))
    out["batchsampler_drop"] = list(D.BatchSampler(range(10), 4, True))
    out["batchsampler_len"] = [len(D.BatchSampler(range(10), 4, False)),
                               len(D.BatchSampler(range(10), 4, True))]
    out["batchsampler_bad"] = catch(T, lambda: D.BatchSampler(range(3), 0, False))
    T.manual_seed(2)
    loader = D.DataLoader(ds(), sampler=[9, 0, 3, 3], batch_size=3)
    out["list_sampler"] = epochs(T, loader, 1)
    loader = D.DataLoader(ds(), batch_sampler=[[1, 2], [0], [5, 6, 7]])
    out["list_batch_sampler"] = [len(loader), epochs(T, loader, 1)]
    loader = D.DataLoader(ds(), batch_sampler=D.BatchSampler(
        D.RandomSampler(ds()), batch_size=4, drop_last=False))
    out["obj_batch_sampler"] = epochs(T, loader, 1)
    out["loader_after"] = T.randn(2)
    out["loader_attrs"] = [loader.batch_size, loader.drop_last, len(loader)]
    out["loader_bad_shuffle_sampler"] = catch(
        T, lambda: D.DataLoader(ds(), sampler=[0, 1], shuffle=True))
    out["loader_bad_batch_sampler"] = catch(
        T, lambda: D.DataLoader(ds(), batch_sampler=[[0]], batch_size=2))
    out["loader_bad_batch_size"] = catch(T, lambda: D.DataLoader(ds(), batch_size=0))
    out["loader_bad_workers"] = catch(T, lambda: D.DataLoader(ds(), num_workers=-1))
    out["loader_bad_drop"] = catch(T, lambda: D.DataLoader(ds(), batch_size=None,
                                                           drop_last=True))

    def set_bs():
        ld = D.DataLoader(ds())
        ld.batch_size = 3

    out["loader_set_attr"] = catch(T, set_bs)

    class Stream(D.IterableDataset):
        def __init__(self, n):
            self.n = n

        def __iter__(self):
            return iter(range(self.n))

        def __len__(self):
            return self.n

    T.manual_seed(8)
    loader = D.DataLoader(Stream(7), batch_size=3)
    out["iterable"] = [len(loader), epochs(T, loader, 2)]
    loader = D.DataLoader(Stream(7), batch_size=3, drop_last=True)
    out["iterable_drop"] = [len(loader), epochs(T, loader, 1)]
    out["iterable_after"] = T.randn(2)
    out["iterable_shuffle"] = catch(T, lambda: D.DataLoader(Stream(3), shuffle=True))

    # default_collate directly
    C = D.default_collate
    out["c_ints"] = C([1, 2, 3])
    out["c_floats"] = C([1.5, 2.0, -3.25])
    out["c_bools"] = C([True, False])
    out["c_int_then_float"] = C([1, 2.5])
    out["c_strs"] = C(["a", "bc"])
    out["c_tuples"] = C([(1, 2.0, "a"), (3, 4.0, "b")])
    out["c_lists"] = C([[1, 2], [3, 4], [5, 6]])
    out["c_dicts"] = C([{"a": 1, "b": [1.0, 2.0]}, {"a": 2, "b": [3.0, 4.0]}])
    out["c_namedtuple"] = C([Point(1, 2.0), Point(3, 4.0)])
    out["c_tensors"] = C([T.tensor([1.0, 2.0]), T.tensor([3.0, 4.0])])
    out["c_tensors_int"] = C([T.tensor([1, 2]), T.tensor([3, 4])])
    out["c_tensors_0d"] = C([T.tensor(1.5), T.tensor(2.5)])
    out["c_tensors_f64"] = C([T.tensor([1.0], dtype=T.float64), T.tensor([2.0], dtype=T.float64)])
    out["c_numpy"] = C([np.array([1.0, 2.0]), np.array([3.0, 4.0])])
    out["c_numpy_int32"] = C([np.array([1, 2], np.int32), np.array([3, 4], np.int32)])
    out["c_numpy_scalars"] = C([np.float32(1.5), np.float32(2.5)])
    out["c_numpy_int_scalars"] = C([np.int64(1), np.int64(2)])
    out["c_nested"] = C([((1, 2), {"k": 0.5}), ((3, 4), {"k": 1.5})])
    out["c_unequal"] = catch(T, lambda: C([[1, 2], [3]]))
    out["c_none"] = catch(T, lambda: C([None, None]))
    out["c_numpy_str"] = catch(T, lambda: C([np.array(["a"]), np.array(["b"])]))
    out["c_tensor_mismatch"] = catch(T, lambda: C([T.tensor([1.0, 2.0]), T.tensor([3.0])]))
    V = D.default_convert
    out["v_numpy"] = V(np.array([1, 2]))
    out["v_tuple"] = V((np.array([1.0]), 2, "s"))
    out["v_dict"] = V({"a": np.array([1.5]), "b": 3})
    out["v_tensor"] = V(T.tensor([1, 2]))
    return out


def run_data(T) -> dict:
    return {k: ser(T, v) for k, v in data_scenarios(T).items()}


# ----------------------------------------------------------------------------- init

def init_scenarios(T):
    In = T.init
    out = {}

    def run(name, seed, make, fn, after=3):
        T.manual_seed(seed)
        t = make()
        r = catch(T, lambda: fn(t))
        out[name] = r
        out[name + "/value"] = ser(T, t) if "error" not in r else None
        out[name + "/after"] = ser(T, T.randn(after))

    E = T.empty
    f64 = T.float64
    run("uniform_5", 0, lambda: E(5), lambda t: In.uniform_(t))
    run("uniform_ab", 1, lambda: E(3, 4), lambda t: In.uniform_(t, -0.5, 2.0))
    run("uniform_f64", 2, lambda: E(3, 4, dtype=f64), lambda t: In.uniform_(t, -1.0, 1.0))
    run("uniform_T", 3, lambda: E(5, 4).t(), lambda t: In.uniform_(t, -1.0, 1.0))
    run("normal_7", 0, lambda: E(7), lambda t: In.normal_(t))
    run("normal_40", 0, lambda: E(40), lambda t: In.normal_(t, 0.5, 2.0))
    run("normal_odd", 4, lambda: E(3, 7), lambda t: In.normal_(t, 0.0, 0.1))
    run("normal_T", 5, lambda: E(10, 4).t(), lambda t: In.normal_(t))
    run("normal_f64", 6, lambda: E(20, dtype=f64), lambda t: In.normal_(t, 1.0, 3.0))
    run("constant", 0, lambda: E(2, 3), lambda t: In.constant_(t, 0.3))
    run("constant_int", 0, lambda: E(2, 3, dtype=T.int64), lambda t: In.constant_(t, 2.7))
    run("ones", 0, lambda: E(2, 3), lambda t: In.ones_(t))
    run("zeros", 0, lambda: E(2, 3), lambda t: In.zeros_(t))
    run("eye", 0, lambda: E(3, 5), lambda t: In.eye_(t))
    run("dirac", 0, lambda: E(4, 2, 3), lambda t: In.dirac_(t))
    run("dirac_g", 0, lambda: E(4, 3, 3, 3), lambda t: In.dirac_(t, groups=2))
    run("xavier_u", 7, lambda: E(30, 20), lambda t: In.xavier_uniform_(t))
    run("xavier_u_gain", 7, lambda: E(4, 3, 2, 2),
        lambda t: In.xavier_uniform_(t, gain=In.calculate_gain("relu")))
    run("xavier_n", 8, lambda: E(30, 20), lambda t: In.xavier_normal_(t, gain=2.0))
    run("xavier_n_small", 8, lambda: E(3, 2), lambda t: In.xavier_normal_(t))
    run("kaiming_u", 9, lambda: E(6, 5), lambda t: In.kaiming_uniform_(t))
    run("kaiming_u_sqrt5", 9, lambda: E(6, 5), lambda t: In.kaiming_uniform_(t, a=math.sqrt(5)))
    run("kaiming_u_out_relu", 9, lambda: E(8, 3, 3, 3),
        lambda t: In.kaiming_uniform_(t, mode="fan_out", nonlinearity="relu"))
    run("kaiming_n", 10, lambda: E(16, 8), lambda t: In.kaiming_normal_(t))
    run("kaiming_n_fan_out", 10, lambda: E(5, 3), lambda t: In.kaiming_normal_(
        t, mode="fan_out", nonlinearity="tanh"))
    run("kaiming_n_T", 10, lambda: E(8, 6).t(), lambda t: In.kaiming_normal_(t))
    run("kaiming_zero", 10, lambda: E(0, 3), lambda t: In.kaiming_uniform_(t))
    run("trunc_default", 11, lambda: E(50), lambda t: In.trunc_normal_(t))
    run("trunc_small", 11, lambda: E(3, 4), lambda t: In.trunc_normal_(t, std=0.5, a=-0.3,
                                                                      b=0.9))
    run("trunc_narrow", 12, lambda: E(40), lambda t: In.trunc_normal_(t, a=2.0, b=3.0))
    run("trunc_std02", 12, lambda: E(8, 8), lambda t: In.trunc_normal_(t, std=0.02))
    run("trunc_f64", 13, lambda: E(30, dtype=f64), lambda t: In.trunc_normal_(
        t, mean=1.0, std=2.0, a=0.0, b=1.5))
    run("trunc_T", 14, lambda: E(6, 5).t(), lambda t: In.trunc_normal_(t, a=-1.0, b=1.0))
    run("sparse", 15, lambda: E(10, 4), lambda t: In.sparse_(t, 0.3))
    run("sparse_std", 15, lambda: E(5, 3), lambda t: In.sparse_(t, 0.5, std=1.0))

    def with_gen(fn):
        def call(t):
            g = T.Generator()
            g.manual_seed(99)
            fn(t, g)
            return T.randn(2, generator=g)
        return call

    run("gen_uniform", 16, lambda: E(6), with_gen(lambda t, g: In.uniform_(t, generator=g)))
    run("gen_normal", 16, lambda: E(20), with_gen(lambda t, g: In.normal_(t, generator=g)))
    run("gen_xavier", 16, lambda: E(4, 4),
        with_gen(lambda t, g: In.xavier_uniform_(t, generator=g)))
    run("gen_kaiming_n", 16, lambda: E(4, 4),
        with_gen(lambda t, g: In.kaiming_normal_(t, generator=g)))
    run("gen_trunc", 16, lambda: E(9), with_gen(lambda t, g: In.trunc_normal_(t, generator=g)))

    # errors
    run("err_uniform_range", 0, lambda: E(3), lambda t: In.uniform_(t, 1.0, 0.0))
    run("err_uniform_int", 0, lambda: E(3, dtype=T.int64), lambda t: In.uniform_(t))
    run("err_uniform_inf", 0, lambda: E(3), lambda t: In.uniform_(t, -math.inf, 0.0))
    run("err_uniform_wide", 0, lambda: E(3), lambda t: In.uniform_(t, -3e38, 3e38))
    run("err_normal_std", 0, lambda: E(3), lambda t: In.normal_(t, 0.0, -1.0))
    run("err_normal_int", 0, lambda: E(3, dtype=T.int64), lambda t: In.normal_(t))
    run("err_fan_1d", 0, lambda: E(3), lambda t: In.xavier_uniform_(t))
    run("err_kaiming_1d", 0, lambda: E(3), lambda t: In.kaiming_normal_(t))
    run("err_mode", 0, lambda: E(3, 3), lambda t: In.kaiming_uniform_(t, mode="fan_avg"))
    run("err_nonlin", 0, lambda: E(3, 3), lambda t: In.kaiming_uniform_(t, nonlinearity="gelu"))
    run("err_eye", 0, lambda: E(3), lambda t: In.eye_(t))
    run("err_dirac", 0, lambda: E(3, 3), lambda t: In.dirac_(t))
    run("err_dirac_groups", 0, lambda: E(3, 3, 3), lambda t: In.dirac_(t, groups=2))
    run("err_orthogonal", 0, lambda: E(3), lambda t: In.orthogonal_(t))
    run("err_sparse", 0, lambda: E(3), lambda t: In.sparse_(t, 0.1))

    gains = []
    for name, param in [("linear", None), ("conv2d", None), ("sigmoid", None),
                        ("tanh", None), ("relu", None), ("leaky_relu", None),
                        ("leaky_relu", 0.2), ("leaky_relu", 3), ("selu", None)]:
        gains.append(In.calculate_gain(name, param))
    out["gains"] = ser(T, gains)
    out["gain_bad"] = catch(T, lambda: In.calculate_gain("leaky_relu", True))
    out["gain_unknown"] = catch(T, lambda: In.calculate_gain("swish"))

    # orthogonal: the draws are torch's; the QR agrees to rounding
    for name, shape, gain in [("orth_tall", (6, 3), 1.0), ("orth_wide", (3, 6), 2.0),
                              ("orth_conv", (4, 2, 2, 2), 1.0)]:
        T.manual_seed(17)
        t = E(*shape)
        In.orthogonal_(t, gain=gain)
        out[name + "/approx"] = np.asarray(T.np(t), np.float64).tolist()
        out[name + "/after"] = ser(T, T.randn(3))

    # the layers' default initialisation (weight, bias, then the next draw)
    for name, seed, make in [
        ("linear_5_3", 20, lambda: T.layer_linear(5, 3, True)),
        ("linear_nobias", 20, lambda: T.layer_linear(4, 2, False)),
        ("linear_big", 21, lambda: T.layer_linear(64, 32, True)),
        ("linear_zero_in", 22, lambda: T.layer_linear(0, 3, True)),
        ("conv2d", 23, lambda: T.layer_conv2d(3, 4, 3, True)),
        ("conv2d_nobias", 23, lambda: T.layer_conv2d(2, 5, 2, False)),
        ("embedding", 24, lambda: T.layer_embedding(10, 4, 2)),
        ("bilinear", 25, lambda: T.layer_bilinear(3, 4, 5)),
    ]:
        T.manual_seed(seed)
        out["layer/" + name] = ser(T, make())
        out["layer/" + name + "/after"] = ser(T, T.randn(3))
    return out


# ----------------------------------------------------------------------------- torch

def torch_namespace():
    import torch
    from torch import nn

    class TorchT:
        data = torch.utils.data
        init = nn.init
        manual_seed = staticmethod(torch.manual_seed)
        randn = staticmethod(torch.randn)
        arange = staticmethod(torch.arange)
        empty = staticmethod(torch.empty)
        tensor = staticmethod(torch.tensor)
        Generator = torch.Generator
        float64 = torch.float64
        int64 = torch.int64

        @staticmethod
        def is_tensor(v):
            return isinstance(v, torch.Tensor)

        @staticmethod
        def np(t):
            return t.detach().contiguous().numpy()

        @staticmethod
        def dtype_name(t):
            return str(t.dtype)

        @staticmethod
        def error_kind(e):
            return type(e).__name__

        @staticmethod
        def layer_linear(i, o, bias):
            m = nn.Linear(i, o, bias=bias)
            return [m.weight.detach(), None if m.bias is None else m.bias.detach()]

        @staticmethod
        def layer_conv2d(i, o, k, bias):
            m = nn.Conv2d(i, o, k, bias=bias)
            return [m.weight.detach(), None if m.bias is None else m.bias.detach()]

        @staticmethod
        def layer_embedding(n, d, pad):
            return [nn.Embedding(n, d, padding_idx=pad).weight.detach()]

        @staticmethod
        def layer_bilinear(i1, i2, o):
            m = nn.Bilinear(i1, i2, o)
            return [m.weight.detach(), m.bias.detach()]

    return TorchT


def main() -> None:
    import warnings

    import torch

    assert torch.__version__.startswith("2.13"), torch.__version__
    warnings.simplefilter("ignore")
    T = torch_namespace()
    fixtures = {"torch": torch.__version__, "data": run_data(T), "init": init_scenarios(T)}
    with open(OUT, "w", encoding="utf-8") as fh:
        json.dump(fixtures, fh, indent=0, sort_keys=True)
        fh.write("\n")
    print(f"wrote {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
