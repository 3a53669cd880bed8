"""torch.distributions, second part (adcli/engine/distributions/extra.py and the samplers
of adcli/engine/torch_random.py / sampling.py).

Every expected value is torch 2.13's: printed by the torch venv
(``PYTHONHASHSEED=0 OMP_NUM_THREADS=1 /work/torchenv/bin/python``) for the same calls,
never adcli's output. Draws are compared exactly (the same words of the generator, the
same arithmetic), including the stream position afterwards.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from adcli.engine import api
from adcli.engine import distributions as D
from adcli.errors import TorchNotImplementedError, TorchValueError


def _close(got, want) -> bool:
    """Equal but for the last float bits (a transcendental function or LAPACK's order)."""
    if not isinstance(got, list):
        got = got.tolist()
    return bool(np.allclose(got, want, rtol=0, atol=1e-6))


def t(values, dtype=None, requires_grad=False):
    return api.tensor(values, dtype=dtype, requires_grad=requires_grad)


# ------------------------------------------------------------------ MultivariateNormal


def test_mvn_scale_tril_rsample_log_prob_grads_kl_are_torchs():
    api.manual_seed(0)
    loc = t([0.5, -1.0], requires_grad=True)
    L = t([[1.5, 0.0], [0.25, 0.75]], requires_grad=True)
    m = D.MultivariateNormal(loc, scale_tril=L)
    assert m.rsample((3,)).tolist() == [
        [2.8114941120147705, -0.8348226547241211],
        [-2.768184185028076, -1.1183738708496094],
        [-1.1267836093902588, -2.3200771808624268],
    ]
    lp = m.log_prob(t([[0.0, 0.0], [1.0, -2.0]]))
    assert lp.tolist() == [-3.0544257164001465, -3.0544257164001465]
    assert type(lp.grad_fn).__name__ == "SubBackward0"
    lp.sum().backward()
    assert loc.grad.tolist() == [0.0, 0.0]
    assert L.grad.tolist() == [[-0.9711934328079224, 0.0], [-1.2839508056640625, 2.897120237350464]]
    assert m.entropy().item() == 2.955660104751587
    assert m.variance.tolist() == [2.25, 0.625]
    assert m.covariance_matrix.tolist() == [[2.25, 0.375], [0.375, 0.625]]
    m2 = D.MultivariateNormal(api.zeros(2), scale_tril=t([[1.0, 0.0], [0.5, 2.0]]))
    assert D.kl_divergence(m, m2).item() == 1.122239112854004


def test_mvn_covariance_and_precision_forms():
    api.manual_seed(0)
    m = D.MultivariateNormal(t([0.5, -1.0]), covariance_matrix=t([[2.0, 0.3], [0.3, 1.0]]))
    assert (
        repr(m) == "MultivariateNormal(loc: torch.Size([2]), covariance_matrix: torch.Size([2, 2]))"
    )
    # the Cholesky factor may differ from LAPACK's in the last float bit: compare closely
    assert _close(
        m.rsample((3,)),
        [
            [2.67929744720459, -0.9598560929298401],
            [-2.581273317337036, -0.9066966772079468],
            [-1.0337462425231934, -2.5968265533447266],
        ],
    )
    assert m.entropy().item() == pytest.approx(3.161428689956665, abs=1e-6)
    m.scale_tril  # noqa: B018 - a lazy property, then listed by repr as torch lists it
    assert (
        repr(m)
        == "MultivariateNormal(loc: torch.Size([2]), covariance_matrix: torch.Size([2, 2]), scale_tril: torch.Size([2, 2]))"  # noqa: E501
    )
    assert _close(
        m.precision_matrix,
        [[0.5235601663589478, -0.15706807374954224], [-0.15706807374954224, 1.0471205711364746]],
    )
    m3 = D.MultivariateNormal(api.zeros(3, 2), precision_matrix=api.eye(2) * 2)
    assert [list(m3.batch_shape), list(m3.event_shape)] == [[3], [2]]
    assert m3.log_prob(api.ones(3, 2)).tolist() == [
        -3.1447296142578125,
        -3.1447296142578125,
        -3.1447296142578125,
    ]
    assert m3.scale_tril[0].tolist() == [[0.7071067690849304, 0.0], [0.0, 0.7071067690849304]]


# -------------------------------------------------------- Exponential, Gamma, Dirichlet


def test_exponential_rsample_and_gradient_are_torchs():
    api.manual_seed(1)
    r = t([0.5, 2.0], requires_grad=True)
    e = D.Exponential(r)
    x = e.rsample((3,))
    assert x.tolist() == [
        [0.12599307298660278, 0.12715879082679749],
        [0.5338056087493896, 0.0974598303437233],
        [1.624168038368225, 0.057954564690589905],
    ]
    assert type(x.grad_fn).__name__ == "DivBackward0"
    x.sum().backward()
    assert r.grad.tolist() == [-4.567933559417725, -0.14128658175468445]
    assert D.kl_divergence(e, D.Exponential(t([1.0, 1.0]))).tolist() == [
        0.3068528175354004,
        0.1931471824645996,
    ]


def test_gamma_rsample_implicit_gradient_log_prob_kl_are_torchs():
    api.manual_seed(2)
    a = t([0.5, 3.0], requires_grad=True)
    g = D.Gamma(a, t([1.0, 2.0]))
    gs = g.rsample((4,))
    assert gs.tolist() == [
        [0.021645640954375267, 2.2096667289733887],
        [0.42777004837989807, 1.8255808353424072],
        [0.5512284636497498, 0.5423406958580017],
        [0.7907963395118713, 1.1479439735412598],
    ]
    gs.sum().backward()
    assert a.grad.tolist() == [4.491545677185059, 1.9841073751449585]
    assert g.log_prob(t([0.7, 1.2])).tolist() == [-1.0940274000167847, -0.6490626335144043]
    assert D.kl_divergence(g, D.Gamma(1.0, 1.0)).tolist() == [
        0.40939050912857056,
        0.3455684185028076,
    ]


def test_gamma_draws_follow_torchs_stream_and_normal_cache():
    api.manual_seed(3)
    alphas = t([0.05, 0.3, 1.0, 2.5, 7.0, 40.0])
    assert D.Gamma(alphas, 1.0).sample((2,)).tolist() == [
        [
            0.21590623259544373,
            0.03413909301161766,
            0.9819415807723999,
            4.02178430557251,
            8.1074800491333,
            47.9852180480957,
        ],
        [
            3.852304695836823e-31,
            6.10623974353075e-05,
            0.25218865275382996,
            0.9517132639884949,
            5.704534530639648,
            40.63116455078125,
        ],
    ]
    assert D.Gamma(alphas.double(), 1.0).sample().tolist() == [
        2.3972898826514464e-08,
        2.9356527040126124,
        2.714623997974315,
        0.2765449993990259,
        7.230067507084682,
        33.38784689813458,
    ]
    # the cached sine half of the last Box-Muller pair carries into randn
    assert api.randn(3).tolist() == [0.8237727284431458, -1.0090070962905884, 1.028834342956543]


def test_dirichlet_and_beta_rsample_gradients_are_torchs():
    api.manual_seed(4)
    dc = t([[1.0, 2.0, 3.0], [0.3, 0.3, 5.0]], requires_grad=True)
    ds = D.Dirichlet(dc).rsample()
    assert ds.tolist() == [
        [0.13089853525161743, 0.5604748725891113, 0.30862662196159363],
        [0.09418763965368271, 0.055800661444664, 0.8500117063522339],
    ]
    (ds * t([1.0, 2.0, 3.0])).sum().backward()
    assert dc.grad.tolist() == [
        [-0.21371695399284363, -0.04399501904845238, 0.11829182505607605],
        [-0.681037187576294, -0.22160641849040985, 0.04668952524662018],
    ]
    c1 = t([1.0, 4.0], requires_grad=True)
    bs = D.Beta(c1, t([2.0, 0.5])).rsample((2,))
    assert bs.tolist() == [
        [0.3295118510723114, 0.8205158710479736],
        [0.2259187251329422, 0.9485867619514465],
    ]
    assert type(bs.grad_fn).__name__ == "SelectBackward0"
    bs.sum().backward()
    assert c1.grad.tolist() == [0.5630917549133301, 0.0562891960144043]
    assert D.Beta(2.0, 3.0).log_prob(t([0.1, 0.5, 0.9])).tolist() == [
        -0.02839946746826172,
        0.40546512603759766,
        -2.225623607635498,
    ]


# ------------------------------------------------------------------ the discrete ones


def test_binomial_draws_inversion_and_btrs_are_torchs():
    api.manual_seed(5)
    n = t([5.0, 100.0, 1000.0, 20.0, 7.0, 0.0, 40.0])
    p = t([0.3, 0.4, 0.9, 0.95, 0.5, 0.5, 0.02])
    assert D.Binomial(n, p).sample((3,)).tolist() == [
        [1.0, 38.0, 907.0, 18.0, 4.0, 0.0, 0.0],
        [1.0, 38.0, 900.0, 19.0, 3.0, 0.0, 0.0],
        [4.0, 30.0, 895.0, 19.0, 5.0, 0.0, 0.0],
    ]
    assert D.Binomial(n.double(), p.double()).sample().tolist() == [
        1.0,
        43.0,
        897.0,
        20.0,
        4.0,
        0.0,
        0.0,
    ]
    b = D.Binomial(10, t([0.2, 0.7]))
    assert b.log_prob(t([2.0, 7.0])).tolist() == [-1.197361946105957, -1.3211512565612793]
    assert b.entropy().tolist() == [1.6219291687011719, 1.779078722000122]


def test_geometric_laplace_onehot_multinomial_lognormal_draws_are_torchs():
    api.manual_seed(6)
    assert D.Geometric(t([0.3, 0.8])).sample((3,)).tolist() == [[1.0, 0.0], [0.0, 0.0], [4.0, 0.0]]
    laplace = D.Laplace(t([0.0, 1.0]), t([1.0, 0.5])).sample((2,)).tolist()
    assert _close(
        laplace,
        [[0.4287431240081787, 1.3426042795181274], [0.12808150053024292, 0.4528215527534485]],
    )  # log1p's last bit
    assert D.OneHotCategorical(t([0.2, 0.5, 0.3])).sample((4,)).tolist() == [
        [0.0, 1.0, 0.0],
        [1.0, 0.0, 0.0],
        [0.0, 0.0, 1.0],
        [0.0, 0.0, 1.0],
    ]
    mn = D.Multinomial(8, t([0.2, 0.3, 0.5]))
    assert mn.sample((2,)).tolist() == [[3.0, 1.0, 4.0], [1.0, 2.0, 5.0]]
    assert mn.log_prob(t([2.0, 3.0, 3.0])).item() == -2.5822997093200684
    ln = D.LogNormal(t([0.0, 0.5]), t([1.0, 0.3]))
    assert _close(
        ln.sample((2,)),
        [[2.1293699741363525, 1.1457712650299072], [0.8628132939338684, 3.013608932495117]],
    )
    assert ln.log_prob(t([0.5, 2.0])).tolist() == [-0.46601784229278564, -0.6153675317764282]
    assert api.rand(2).tolist() == [0.5394968390464783, 0.3515496253967285]  # the stream position


# -------------------------------------------------------------- repr and validation


def test_independent_and_reprs_are_torchs():
    ind = D.Independent(D.Normal(api.zeros(3, 2), api.ones(3, 2)), 1)
    assert [
        repr(ind),
        list(ind.batch_shape),
        list(ind.event_shape),
        ind.log_prob(api.ones(3, 2)).tolist(),
    ] == [
        "Independent(Normal(loc: torch.Size([3, 2]), scale: torch.Size([3, 2])), 1)",
        [3],
        [2],
        [-2.837877035140991, -2.837877035140991, -2.837877035140991],
    ]
    reprs = [
        repr(D.Exponential(2.0)),
        repr(D.Gamma(api.ones(2), 1.0)),
        repr(D.Beta(2.0, 3.0)),
        repr(D.Dirichlet(api.ones(3))),
        repr(D.Binomial(10, t([0.2, 0.7]))),
        repr(D.Geometric(logits=t(0.3))),
        repr(D.Multinomial(8, t([0.2, 0.8]))),
        repr(D.OneHotCategorical(logits=api.zeros(3))),
        repr(D.LogNormal(0.0, 1.0)),
        repr(D.Laplace(0.0, 1.0)),
    ]
    assert reprs == [
        "Exponential(rate: 2.0)",
        "Gamma(concentration: torch.Size([2]), rate: torch.Size([2]))",
        "Beta()",
        "Dirichlet(concentration: torch.Size([3]))",
        "Binomial(total_count: torch.Size([2]), probs: torch.Size([2]))",
        "Geometric(logits: 0.30000001192092896)",
        "Multinomial()",
        "OneHotCategorical()",
        "LogNormal()",
        "Laplace(loc: 0.0, scale: 1.0)",
    ]


ERRORS = [
    [
        "ValueError",
        "Expected parameter probs (Tensor of shape (2,)) of distribution Geometric(probs: torch.Size([2])) to be positive but found invalid values:\ntensor([0.])",  # noqa: E501
    ],
    [
        "ValueError",
        "Expected parameter rate (Tensor of shape (1,)) of distribution Exponential(rate: tensor([-1.])) to satisfy the constraint GreaterThan(lower_bound=0.0), but found invalid values:\ntensor([-1.])",  # noqa: E501
    ],
    [
        "ValueError",
        "Expected parameter concentration (Tensor of shape (2,)) of distribution Dirichlet(concentration: torch.Size([2])) to satisfy the constraint IndependentConstraint(GreaterThan(lower_bound=0.0), 1), but found invalid values:\ntensor([ 1., -1.])",  # noqa: E501
    ],
    [
        "ValueError",
        "Expected parameter covariance_matrix (Tensor of shape (2, 2)) of distribution MultivariateNormal(loc: torch.Size([2]), covariance_matrix: torch.Size([2, 2])) to satisfy the constraint PositiveDefinite(), but found invalid values:\ntensor([[1., 2.],\n        [0., 1.]])",  # noqa: E501
    ],
    [
        "ValueError",
        "Exactly one of covariance_matrix or precision_matrix or scale_tril may be specified.",
    ],
    [
        "ValueError",
        "Expected parameter scale_tril (Tensor of shape (2, 2)) of distribution MultivariateNormal(loc: torch.Size([2]), scale_tril: torch.Size([2, 2])) to satisfy the constraint LowerCholesky(), but found invalid values:\ntensor([[1., 1.],\n        [0., 1.]])",  # noqa: E501
    ],
    [
        "ValueError",
        "Expected value argument (Tensor of shape (1,)) to be within the support (IntegerInterval(lower_bound=0, upper_bound=tensor([3.]))) of the distribution Binomial(total_count: tensor([3.]), probs: tensor([0.5000])), but found invalid values:\ntensor([4.])",  # noqa: E501
    ],
    ["NotImplementedError", "inhomogeneous total_count is not supported"],
    [
        "ValueError",
        "Expected reinterpreted_batch_ndims <= len(base_distribution.batch_shape), actual 1 vs 0",
    ],
]


@pytest.mark.parametrize(
    ("index", "make"),
    list(
        enumerate(
            [
                lambda: D.Geometric(t([0.0, 0.5])),
                lambda: D.Exponential(t([-1.0])),
                lambda: D.Dirichlet(t([1.0, -1.0])),
                lambda: D.MultivariateNormal(api.zeros(2), t([[1.0, 2.0], [0.0, 1.0]])),
                lambda: D.MultivariateNormal(api.zeros(2)),
                lambda: D.MultivariateNormal(api.zeros(2), scale_tril=t([[1.0, 1.0], [0.0, 1.0]])),
                lambda: D.Binomial(3, t([0.5])).log_prob(t([4.0])),
                lambda: D.Multinomial(t(3), t([0.5, 0.5])),
                lambda: D.Independent(D.Normal(0.0, 1.0), 1),
            ]
        )
    ),
)
def test_errors_are_torchs(index, make):
    kind, message = ERRORS[index]
    error = {"ValueError": TorchValueError, "NotImplementedError": TorchNotImplementedError}[kind]
    with pytest.raises(error) as info:
        make()
    assert str(info.value) == message


# ------------------------------------------------- transforms and the later additions


def test_tanh_squashed_policy_and_sigmoid_affine_chain_are_torchs():
    from adcli.engine.distributions import (
        AffineTransform,
        ExpTransform,
        SigmoidTransform,
        TanhTransform,
    )

    api.manual_seed(9)
    mu = t([0.2, -0.4], requires_grad=True)
    pi = D.TransformedDistribution(D.Normal(mu, t([0.5, 1.0])), [TanhTransform(cache_size=1)])
    a = pi.rsample()
    lp = pi.log_prob(a)  # the cached pre-image: no atanh round trip
    assert a.tolist() == [0.2187698632478714, 0.9071586728096008]
    assert lp.tolist() == [-0.17774814367294312, -1.0141068696975708]
    lp.sum().backward()
    assert mu.grad.tolist() == [0.4375397562980652, 1.8143173456192017]
    sq = D.TransformedDistribution(
        D.Normal(0.0, 1.0), [AffineTransform(1.0, 2.0), SigmoidTransform()]
    )
    x = sq.sample((3,))
    assert x.tolist() == [0.6313326358795166, 0.8444681763648987, 0.9743207097053528]
    assert sq.log_prob(x).tolist() == [-0.1809903383255005, 0.35803431272506714, 1.207400918006897]
    assert repr(ExpTransform().inv) == "_InverseTransform(ExpTransform())"


def test_halfnormal_gumbel_cauchy_chi2_studentt_mixture_are_torchs():
    api.manual_seed(10)
    assert D.HalfNormal(t([1.0, 2.0])).sample((3,)).tolist() == [
        [0.6013928055763245, 2.0244195461273193],
        [0.30226925015449524, 2.4553728103637695],
        [0.9198282361030579, 0.6969388127326965],
    ]
    g = D.Gumbel(t([0.0, 1.0]), t([1.0, 0.5]))
    assert g.rsample((2,)).tolist() == [
        [1.0474112033843994, 1.2682937383651733],
        [1.0144450664520264, 3.093684673309326],
    ]
    assert D.Cauchy(0.0, t([1.0, 3.0])).sample((3,)).tolist() == [
        [-0.553896427154541, 11.675247192382812],
        [0.3847046494483948, 0.470986008644104],
        [-3.608502149581909, 31.475696563720703],
    ]
    assert D.Chi2(t([1.0, 4.0])).sample((2,)).tolist() == [
        [0.7511663436889648, 3.784646987915039],
        [1.0027613639831543, 4.59990119934082],
    ]
    s = D.StudentT(t([3.0, 0.8]), t([0.0, 1.0]), 2.0)
    assert s.rsample((2,)).tolist() == [
        [2.9065752029418945, -31.937625885009766],
        [2.831437349319458, 2.7157790660858154],
    ]
    assert s.log_prob(t([0.5, 2.0])).tolist() == [-1.7352745532989502, -2.1289823055267334]
    gmm = D.MixtureSameFamily(D.Categorical(t([0.3, 0.7])), D.Normal(t([-1.0, 2.0]), t([0.5, 1.0])))
    assert (
        repr(gmm)
        == "MixtureSameFamily(\n  Categorical(probs: torch.Size([2]), logits: torch.Size([2])),\n  Normal(loc: torch.Size([2]), scale: torch.Size([2])))"  # noqa: E501
    )
    assert gmm.sample((5,)).tolist() == [
        2.5820369720458984,
        0.5216560363769531,
        2.8265013694763184,
        -1.3006370067596436,
        1.0300192832946777,
    ]
    assert gmm.log_prob(t([0.0, 2.0])).tolist() == [-2.656574249267578, -1.27561354637146]
    assert [gmm.mean.item(), gmm.variance.item()] == [1.0999999046325684, 2.6649999618530273]
    assert api.rand(2).tolist() == [0.8321222066879272, 0.20008426904678345]


def test_cross_family_kls_are_torchs():
    pairs = [
        (D.Exponential(1.0), D.Gamma(2.0, 1.0)),
        (D.Beta(1.0, 2.0), D.Uniform(0.0, 1.0)),
        (D.Normal(0.0, 1.0), D.Laplace(0.0, 1.0)),
        (D.Laplace(0.0, 1.0), D.Normal(0.0, 1.0)),
        (D.Exponential(1.0), D.Normal(0.0, 1.0)),
        (D.Gamma(2.0, 1.0), D.Normal(0.0, 1.0)),
        (D.Uniform(0.0, 1.0), D.Beta(2.0, 2.0)),
        (D.Uniform(0.5, 1.0), D.Exponential(1.0)),
        (D.Uniform(0.5, 1.0), D.Gamma(2.0, 1.0)),
        (D.Beta(2.0, 2.0), D.Normal(0.0, 1.0)),
        (D.Beta(2.0, 3.0), D.Exponential(1.0)),
        (D.Normal(0.0, 1.0), D.Exponential(1.0)),
        (D.Gamma(2.0, 1.0), D.Exponential(2.0)),
        (D.Chi2(3.0), D.Chi2(2.0)),
        (D.LogNormal(0.0, 1.0), D.LogNormal(1.0, 2.0)),
    ]
    got = [D.kl_divergence(p, q).item() for p, q in pairs]
    assert got == [
        0.5772156715393066,
        0.1931471824645996,
        0.07209324836730957,
        0.225791335105896,
        0.9189385175704956,
        2.3417227268218994,
        0.20824050903320312,
        1.4431471824645996,
        1.75,
        1.194031000137329,
        0.6349061727523804,
        math.inf,
        1.7296371459960938,
        0.1390271931886673,
        0.4431471824645996,
    ]


def test_negative_binomial_and_relaxed_draws_are_torchs():
    api.manual_seed(13)
    nb = D.NegativeBinomial(t([3.0, 10.0]), t([0.4, 0.7]))
    assert nb.sample((4,)).tolist() == [[3.0, 18.0], [2.0, 14.0], [5.0, 29.0], [2.0, 14.0]]
    assert nb.log_prob(t([2.0, 20.0])).tolist() == [-1.5732989311218262, -3.053628921508789]
    # through log/log1p/exp: equal to the last float bits
    r = D.RelaxedOneHotCategorical(t(0.5), logits=t([[0.0, 1.0, -1.0]]))
    x = r.rsample((2,))
    assert np.allclose(
        x.tolist(),
        [
            [[0.008148019202053547, 0.9652109146118164, 0.026641054078936577]],
            [[0.8670798540115356, 0.09349919110536575, 0.039420951157808304]],
        ],
        rtol=1e-6,
        atol=0,
    )
    assert np.allclose(
        r.log_prob(x).tolist(), [[3.6766114234924316], [0.5171775817871094]], rtol=1e-6
    )
    rb = D.RelaxedBernoulli(t(0.3), probs=t([0.2, 0.9]))
    y = rb.rsample((3,))
    assert np.allclose(
        y.tolist(),
        [
            [0.32231926918029785, 0.3333628475666046],
            [0.2103031724691391, 0.9998786449432373],
            [0.002116643823683262, 0.998956561088562],
        ],
        rtol=1e-6,
        atol=0,
    )
    assert np.allclose(
        rb.log_prob(y).tolist(),
        [
            [-1.3898061513900757, -2.2778894901275635],
            [-1.030292272567749, 6.362865924835205],
            [3.5172343254089355, 4.271255016326904],
        ],
        rtol=1e-6,
    )
    assert api.rand(2).tolist() == [0.6377795338630676, 0.06465500593185425]


# ------------------------------------------------- generator kernels (torch_random)


def test_geometric_log_normal_cauchy_kernels_follow_torchs_stream():
    from adcli.engine.torch_random import TorchGenerator

    g = TorchGenerator(5)
    assert g.geometric_((20,), 0.3).tolist() == [
        2.0,
        4.0,
        3.0,
        4.0,
        4.0,
        1.0,
        2.0,
        1.0,
        1.0,
        3.0,
        3.0,
        4.0,
        1.0,
        5.0,
        7.0,
        4.0,
        3.0,
        3.0,
        1.0,
        2.0,
    ]
    assert g.geometric_((5,), 0.05, np.float64).tolist() == [9.0, 18.0, 65.0, 21.0, 4.0]
    assert g.log_normal_((3,)).tolist() == [
        2.750767707824707,
        9.402688980102539,
        15.175811767578125,
    ]
    assert g.log_normal_((17,), 0.5, 0.25).tolist() == [
        2.071181058883667,
        2.2345826625823975,
        1.2080363035202026,
        1.9800325632095337,
        1.5120903253555298,
        0.8909146785736084,
        2.049964666366577,
        2.063049554824829,
        1.7831826210021973,
        1.5213582515716553,
        1.3559774160385132,
        1.1857739686965942,
        1.4512399435043335,
        1.0893957614898682,
        1.5911213159561157,
        1.7845547199249268,
        1.2226883172988892,
    ]
    assert g.cauchy_((4,)).tolist() == [
        0.038312193006277084,
        -6.584184169769287,
        -8.128715515136719,
        0.07589351385831833,
    ]
    assert g.cauchy_((3,), 1.0, 2.0, np.float64).tolist() == [
        -3.1514443913662866,
        2.5431134271969027,
        -3.290372766075966,
    ]
    assert g.randn(3).tolist() == [
        -0.49186792969703674,
        -0.4646497964859009,
        -0.0587875097990036,
    ]  # the normal cache carried over


def test_continuous_bernoulli_is_torchs():
    api.manual_seed(14)
    p = t([0.1, 0.4995, 0.8], requires_grad=True)  # the middle one in the Taylor region
    cb = D.ContinuousBernoulli(p)
    assert cb.rsample((2,)).tolist() == [
        [0.3211599588394165, 0.004720211029052734, 0.9612432718276978],
        [0.4714611768722534, 0.8294872641563416, 0.862299919128418],
    ]
    lp = cb.log_prob(t([0.2, 0.5, 0.9]))
    assert lp.tolist() == [0.46553313732147217, -1.7881393432617188e-07, 0.47568678855895996]
    lp.sum().backward()
    assert p.grad.tolist() == [-1.4457736015319824, 0.0006666587432846427, 1.800088882446289]
    assert cb.mean.tolist() == [0.33011960983276367, 0.499833345413208, 0.6119857430458069]


def test_halfcauchy_pareto_weibull_inverse_gamma_are_torchs():
    api.manual_seed(15)
    assert D.HalfCauchy(t([1.0, 2.0])).sample((2,)).tolist() == [
        [0.40089407563209534, 0.8002175092697144],
        [0.5667638778686523, 0.442181259393692],
    ]
    pa = D.Pareto(t([1.0, 2.0]), t([3.0, 1.5]))
    y = pa.rsample((2,))
    assert y.tolist() == [
        [1.0071309804916382, 2.9454243183135986],
        [1.2789026498794556, 3.4756062030792236],
    ]
    assert pa.log_prob(y).tolist() == [
        [1.0701895952224731, -1.2554463148117065],
        [0.1146027147769928, -1.669236421585083],
    ]
    w = D.Weibull(t([1.0, 2.0]), t([0.5, 3.0]))
    # x ** (1 / k) in float32: equal but for pow's last bit
    assert np.allclose(
        w.sample((3,)).tolist(),
        [
            [3.503434181213379, 2.327383518218994],
            [0.13346880674362183, 3.0660037994384766],
            [2.573220569956902e-07, 3.2164499759674072],
        ],
        rtol=1e-6,
        atol=0,
    )
    ig = D.InverseGamma(t([3.0, 1.5]), t([2.0, 1.0]))
    assert ig.rsample((2,)).tolist() == [
        [0.5454050898551941, 1.2796660661697388],
        [0.7648643851280212, 1.2556573152542114],
    ]
    assert [repr(pa), repr(w), repr(ig), repr(D.HalfCauchy(1.0))] == [
        "Pareto(alpha: torch.Size([2]), scale: torch.Size([2]))",
        "Weibull(scale: torch.Size([2]), concentration: torch.Size([2]))",
        "InverseGamma()",
        "HalfCauchy()",
    ]
    assert api.rand(2).tolist() == [0.6906310319900513, 0.37472158670425415]


def test_biject_to_and_transform_to_are_torchs():
    from adcli.engine.distributions import registry

    pos = registry.biject_to(D.core.positive)
    assert repr(pos) == "ComposeTransform(\n    ExpTransform(),\n    AffineTransform()\n)"
    assert repr(registry.transform_to(D.core.unit_interval)) == "SigmoidTransform()"
    x = t([0.1, 0.5, -0.3])
    assert registry.transform_to(D.core.simplex)(x).tolist() == pytest.approx(
        [0.3162, 0.4718, 0.2120], abs=1e-4
    )
    b = registry.biject_to(D.core.simplex)
    y = b(x)
    assert y.tolist() == pytest.approx([0.2692, 0.3302, 0.1705, 0.2301], abs=1e-4)
    assert b.inv(y).tolist() == pytest.approx([0.1, 0.5, -0.3], abs=1e-6)
    assert b.log_abs_det_jacobian(x, y).item() == pytest.approx(-5.6587, abs=1e-4)
    gt = registry.transform_to(D.core._GreaterThan(2.0))(t([0.0, 1.0]))
    assert gt.tolist() == pytest.approx([3.0, 4.7183], abs=1e-4)


# ------------------------------------------------ a script's own distributions (adcli run)

_SUBCLASS_SCRIPT = 'import torch\nfrom torch.distributions import Normal, Distribution, constraints, kl_divergence, Categorical\n\nclass TemperedNormal(Normal):\n    def __init__(self, loc, scale, temp=2.0, validate_args=None):\n        self.temp = temp\n        super().__init__(loc, scale, validate_args=validate_args)\n    def log_prob(self, value):\n        return super().log_prob(value) / self.temp\n\nclass Coin(Distribution):\n    arg_constraints = {"p": constraints.unit_interval}\n    support = constraints.boolean\n    def __init__(self, p, validate_args=None):\n        self.p = p\n        super().__init__(p.shape, validate_args=validate_args)\n    def sample(self, sample_shape=torch.Size()):\n        shape = self._extended_shape(sample_shape)\n        return torch.bernoulli(self.p.expand(shape))\n    def log_prob(self, value):\n        if self._validate_args:\n            self._validate_sample(value)\n        return value * self.p.log() + (1 - value) * (1 - self.p).log()\n    def expand(self, batch_shape, _instance=None):\n        new = self._get_checked_instance(Coin, _instance)\n        new.p = self.p.expand(batch_shape)\n        super(Coin, new).__init__(torch.Size(batch_shape), validate_args=False)\n        return new\n    @property\n    def mean(self):\n        return self.p\n\ntorch.manual_seed(1)\nt = TemperedNormal(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0]))\nprint(t, t.log_prob(torch.tensor([0.5, 0.5])), t.sample((2,)), kl_divergence(t, Normal(0.0, 1.0)))\nc = Coin(torch.tensor([0.2, 0.9]))\nprint(c, c.sample((3,)), c.log_prob(torch.tensor([1.0, 0.0])), c.expand((2, 2)).sample(), c.mean, c.batch_shape)\ntry:\n    c.log_prob(torch.tensor([0.5, 1.0]))\nexcept ValueError as e:\n    print("ValueError:", e)\ntry:\n    Coin(torch.tensor([1.5]))\nexcept ValueError as e:\n    print("ValueError:", e)\ntry:\n    t.expand((3, 2))\nexcept NotImplementedError as e:\n    print("NotImplementedError:", e)\nprint(isinstance(t, Normal), isinstance(c, Distribution))\ntry:\n    kl_divergence(c, Categorical(torch.tensor([0.5, 0.5])))\nexcept NotImplementedError as e:\n    print("NIE:", e)\n'  # noqa: E501

_CUSTOM_KL_SCRIPT = 'import torch\nfrom torch.distributions import Distribution, constraints, Normal, kl_divergence\nfrom torch.distributions.kl import register_kl\n\nclass Shifted(Distribution):\n    arg_constraints = {"loc": constraints.real}\n    support = constraints.real\n    has_rsample = True\n    def __init__(self, loc, validate_args=None):\n        self.loc = loc\n        super().__init__(loc.shape, validate_args=validate_args)\n    def rsample(self, sample_shape=torch.Size()):\n        shape = self._extended_shape(sample_shape)\n        return self.loc + torch.randn(shape)\n    def log_prob(self, value):\n        return -0.5 * (value - self.loc) ** 2 - 0.5 * torch.log(torch.tensor(2 * torch.pi))\n\ntorch.manual_seed(0)\nd = Shifted(torch.tensor([0.0, 1.0]))\nprint(d, d.batch_shape, d.sample((2,)), d.log_prob(torch.tensor([0.5, 0.5])))\n\n@register_kl(Shifted, Normal)\ndef _kl(p, q):\n    return kl_divergence(Normal(p.loc, torch.ones_like(p.loc)), q)\nprint(kl_divergence(d, Normal(0.0, 2.0)))\n'  # noqa: E501


def _run(code: str) -> str:
    """What ``code`` prints as a .py script under adcli."""
    from adcli.lang.interpreter import Session
    from adcli.limits import Limits

    out: list[str] = []
    session = Session(limits=Limits(), out=out.append)
    session.dialect = "py"
    session.exec_source(code)
    return "".join(out)


def test_a_scripts_subclasses_and_register_kl_print_what_torch_prints():
    # the expected text is torch 2.13's output of the same scripts
    assert (
        _run(_SUBCLASS_SCRIPT)
        == "TemperedNormal(loc: torch.Size([2]), scale: torch.Size([2])) tensor([-0.5220, -0.8217]) tensor([[0.6614, 1.5338],\n        [0.0617, 2.2426]]) tensor([0.0000, 1.3069])\nCoin(p: torch.Size([2])) tensor([[0., 1.],\n        [0., 1.],\n        [0., 1.]]) tensor([-1.6094, -2.3026]) tensor([[0., 1.],\n        [0., 1.]]) tensor([0.2000, 0.9000]) torch.Size([2])\nValueError: Expected value argument (Tensor of shape (2,)) to be within the support (Boolean()) of the distribution Coin(p: torch.Size([2])), but found invalid values:\ntensor([0.5000, 1.0000])\nValueError: Expected parameter p (Tensor of shape (1,)) of distribution Coin(p: tensor([1.5000])) to satisfy the constraint Interval(lower_bound=0.0, upper_bound=1.0), but found invalid values:\ntensor([1.5000])\nNotImplementedError: Subclass TemperedNormal of Normal that defines a custom __init__ method must also define a custom .expand() method.\nTrue True\nNIE: No KL(p || q) is implemented for p type Coin and q type Categorical\n"  # noqa: E501
    )
    assert (
        _run(_CUSTOM_KL_SCRIPT)
        == "Shifted(loc: torch.Size([2])) torch.Size([2]) tensor([[ 1.5410,  0.7066],\n        [-2.1788,  1.5684]]) tensor([-1.0439, -1.0439])\ntensor([0.3181, 0.4431])\n"  # noqa: E501
    )


def test_von_mises_rejection_sampler_is_torchs():
    api.manual_seed(16)
    vm = D.VonMises(t([0.0, 1.0, -2.0]), t([0.5, 4.0, 20.0]))
    x = vm.sample((30,))
    assert [round(v, 5) for v in x[:3].flatten().tolist()] == [
        0.2848,
        0.46623,
        -1.8452,
        0.22823,
        0.97882,
        -1.89885,
        0.53082,
        2.11686,
        -1.99075,
    ]
    assert round(x.sum().item(), 3) == -45.611
    assert [round(v, 4) for v in vm.log_prob(x[:2]).flatten().tolist()] == [
        -1.4196,
        -0.8193,
        0.3334,
        -1.4124,
        -0.2637,
        0.4703,
    ]
    assert api.rand(2).tolist() == [
        0.1454561948776245,
        0.8928914666175842,
    ]  # as many rounds of draws as torch


def test_kumaraswamy_and_fisher_snedecor_are_torchs():
    api.manual_seed(17)
    k = D.Kumaraswamy(t([2.0, 0.5]), t([3.0, 1.5]))
    assert [round(v, 5) for v in k.rsample((3,)).flatten().tolist()] == [
        0.49269,
        0.1162,
        0.24524,
        0.56478,
        0.83165,
        0.10838,
    ]
    d1 = t([3.0, 6.0], requires_grad=True)
    f = D.FisherSnedecor(d1, t([5.0, 10.0]))
    y = f.rsample((2,))
    assert y.tolist() == [
        [1.358549952507019, 1.5068150758743286],
        [0.34794262051582336, 0.3601914048194885],
    ]
    y.sum().backward()
    assert d1.grad.tolist() == [-0.11521163582801819, -0.007524758577346802]
    assert api.rand(2).tolist() == [0.4449694752693176, 0.28771817684173584]


def test_low_rank_mvn_is_torchs():
    api.manual_seed(18)
    W = t([[1.0, 0.5], [0.2, -0.3], [0.0, 1.0]], requires_grad=True)
    lr = D.LowRankMultivariateNormal(api.zeros(3), W, t([0.5, 1.0, 2.0]))
    x = lr.rsample((2,))
    assert x.tolist() == [
        [0.13027101755142212, 0.7350401282310486, 0.3069511651992798],
        [0.06603068113327026, -0.7168627977371216, 4.442104339599609],
    ]
    lp = lr.log_prob(x)
    assert lp.tolist() == [-3.8887083530426025, -7.056222915649414]
    lp.sum().backward()
    # through a Cholesky backward: equal but for the last float bits
    assert np.allclose(
        W.grad.tolist(),
        [
            [-1.3025760650634766, -0.6866711378097534],
            [-0.6309029459953308, 0.32385915517807007],
            [0.5439431667327881, 0.48364853858947754],
        ],
        rtol=1e-6,
        atol=1e-7,
    )
    assert repr(lr) == (
        "LowRankMultivariateNormal(loc: torch.Size([3]), cov_factor: torch.Size([3, 2]), "
        "cov_diag: torch.Size([3]))"
    )
    assert api.rand(2).tolist() == [0.74409419298172, 0.7764021754264832]


def test_low_rank_kls_are_torchs():
    W = t([[1.0, 0.5], [0.2, -0.3], [0.0, 1.0]])
    p = D.LowRankMultivariateNormal(api.zeros(3), W, t([0.5, 1.0, 2.0]))
    q = D.LowRankMultivariateNormal(api.ones(3), W * 0.5, t([1.0, 1.0, 1.0]))
    m = D.MultivariateNormal(t([0.5, 0.0, -0.5]), api.eye(3) * 2)
    got = [D.kl_divergence(p, q).item(), D.kl_divergence(m, q).item(), D.kl_divergence(p, m).item()]
    assert got == pytest.approx([1.5333, 1.7900, 0.2851], abs=1e-4)  # torch 2.13's


def test_logistic_normal_and_event_changing_transforms_are_torchs():
    from adcli.engine.distributions import ExpTransform, StickBreakingTransform

    api.manual_seed(20)
    ln = D.LogisticNormal(t([0.0, 0.5, -0.5]), t([1.0, 0.5, 2.0]))
    x = ln.rsample((2,))
    assert [list(ln.batch_shape), list(ln.event_shape)] == [[], [4]]
    assert [round(v, 5) for v in x.flatten().tolist()] == [
        0.09074,
        0.41782,
        0.42329,
        0.06815,
        0.06917,
        0.25211,
        0.2503,
        0.42841,
    ]
    assert [round(v, 4) for v in ln.log_prob(x).tolist()] == [2.6557, 1.1275]
    td = D.TransformedDistribution(D.Independent(D.Normal(api.zeros(2, 3), 1.0), 1), ExpTransform())
    assert [list(td.batch_shape), list(td.event_shape), repr(td.support)] == [
        [2],
        [3],
        "IndependentConstraint(GreaterThan(lower_bound=0.0), 1)",
    ]
    td2 = D.TransformedDistribution(D.Normal(api.zeros(3), 1.0), StickBreakingTransform())
    assert [list(td2.batch_shape), list(td2.event_shape), list(td2.sample((4,)).shape)] == [
        [],
        [4],
        [4, 4],
    ]
    assert api.rand(2).tolist() == [0.23986399173736572, 0.4782424569129944]


def test_exponential_family_is_torchs_base_class():
    assert isinstance(D.Normal(0.0, 1.0), D.core.ExponentialFamily)
    assert isinstance(D.Gamma(1.0, 1.0), D.core.ExponentialFamily)
    assert not isinstance(D.Laplace(0.0, 1.0), D.core.ExponentialFamily)
    with pytest.raises(TorchNotImplementedError, match="cross KL-divergence"):
        D.kl_divergence(D.Normal(0.0, 1.0), D.Poisson(1.0))
    with pytest.raises(TorchNotImplementedError):
        D.Poisson(t([2.0])).entropy()  # torch's Poisson has no entropy either


def test_gamma_and_dirichlet_grad_kernels_are_torchs():
    from adcli.engine import sampling

    got = sampling.standard_gamma_grad_tensor(t([0.5, 3.0, 12.0]), t([0.3, 2.0, 11.0]))
    # the three regimes: Taylor series (x < 0.8), rational approximation, Rice saddle point
    assert got.tolist() == [1.009801983833313, 0.8565640449523926, 0.9705258011817932]
    got = sampling.dirichlet_grad_tensor(t([0.2, 0.7]), t([1.0, 8.0]), t([3.0, 15.0]))
    assert got.tolist() == [0.3276544213294983, 0.07958907634019852]
