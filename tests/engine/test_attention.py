"""F.scaled_dot_product_attention, nn.MultiheadAttention, nn.TransformerEncoder(Layer),
nn.TransformerDecoder(Layer) and nn.Transformer against torch 2.13 (CPU).

The expected values below were recorded from the real torch (python + torch 2.13 CPU) on
the same inputs: deterministic ``sin`` ramps, ``cos`` output gradients, and modules built
after ``torch.manual_seed``. Outputs and gradients agree to float32 rounding (BLAS order
differs); the grad_fn trees, the printed modules and the initial weights agree exactly.
"""

from __future__ import annotations

import numpy as np
import pytest

from adcli.engine import api
from adcli.engine import attention as FA
from adcli.engine.nn import attention as A
from adcli.engine.tensor import Tensor
from adcli.errors import TorchRuntimeError

EXPECTED = {'flash': {'out': [0.58674723, 0.50216025, 0.34960818, 0.14973831, 0.70027095,
                   0.55719143, 0.33869871, 0.074364685],
           'gq': [0.2091824, 0.21070771, 0.18371472, 0.13185678, -0.052687265,
                  0.013394497],
           'gk': [-0.030791683, 0.030504204, 0.087671489, 0.13297287, -0.082850948,
                  -0.12186342],
           'gv': [0.043599002, 0.20942894, 0.18271087, -0.011990731, -0.001950074,
                  -0.12215528],
           'tree': ['ScaledDotProductFlashAttentionForCpuBackward0',
                    [['AccumulateGrad', []], ['AccumulateGrad', []],
                     ['AccumulateGrad', []]]]},
 'flash_causal_mask': {'out': [0.90929741, 0.69727772, 0.39088479, 0.0315874,
                               0.90929741, 0.69727772, 0.39088479, 0.0315874],
                       'gq': [0.0, 0.0, 0.0, 0.0, 7.836809e-10, 9.1261049e-10],
                       'gk': [9.2748631e-10, 8.9525731e-10, 7.4185941e-10,
                              4.8805432e-10, 0.0, 0.0],
                       'gv': [0.34635639, 0.82396448, 0.54402339, -0.23609024, 0.0,
                              0.0],
                       'tree': ['ScaledDotProductFlashAttentionForCpuBackward0',
                                [['AccumulateGrad', []], ['AccumulateGrad', []],
                                 ['AccumulateGrad', []]]]},
 'math_3d_mask': {'out': [0.67740685, 0.57890713, 0.40205503, 0.17078666, 0.85194969,
                          0.73466694, 0.51795042, 0.23113173],
                  'gq': [0.16685887, 0.15316001, 0.11873163, 0.06823349, -0.058580641,
                         -0.044778738],
                  'gk': [-0.078499466, -0.04732994, -0.0097545292, 0.029141113, 0.0,
                         0.00026865664],
                  'gv': [0.037411362, 0.33342594, 0.32289022, 0.015490741, 0.1240434,
                         0.06702093],
                  'tree': ['UnsafeViewBackward0',
                           [['BmmBackward0',
                             [['ViewBackward0', [['ExpandBackward0']]],
                              ['ViewBackward0', [['ExpandBackward0']]]]]]]},
 'math_causal_scale': {'out': [0.90929741, 0.69727772, 0.39088479, 0.0315874,
                               -0.13884662, -0.4408969, -0.68327385, -0.83317286],
                       'gq': [-0.0, -0.0, -0.0, -0.0, -0.032676142, -0.099631391],
                       'gk': [-0.075460762, -0.20866367, -0.31362495, -0.3761386,
                              0.099004544, 0.18424669],
                       'gv': [0.79954469, -0.033946097, -0.836227, -0.86968464,
                              -0.58226407, 0.049630165],
                       'tree': ['MmBackward0',
                                [['SafeSoftmaxBackward0',
                                  [['AddBackward0', [['MmBackward0']]]]],
                                 ['AccumulateGrad', []]]]},
 'gqa': {'out': [0.58674723, 0.50216025, 0.34960818, 0.14973831, 0.70027095,
                 0.55719143, 0.33869871, 0.074364685],
         'gq': [0.2091824, 0.21070771, 0.18371472, 0.13185678, -0.052687265,
                0.013394497],
         'gk': [-0.020203562, 0.011272858, 0.041223545, 0.065594837, 0.0062888712,
                -0.047019511],
         'gv': [0.0076687485, -0.078591719, -0.092595309, -0.021467224, -0.0074766949,
                -0.12526019],
         'tree': ['ScaledDotProductFlashAttentionForCpuBackward0',
                  [['AccumulateGrad', []], ['AccumulateGrad', []],
                   ['AccumulateGrad', []]]]},
 'dropout': {'out': [0.48525283, 0.3833878, 0.22963299, 0.044798449, -0.092690721,
                     -0.12376748, -0.13809291, -0.1337281, -0.53981692, -0.50761777,
                     -0.40671498, -0.2507652],
             'tree': ['UnsafeViewBackward0',
                      [['BmmBackward0',
                        [['ViewBackward0',
                          [['ExpandBackward0',
                            [['MulBackward0',
                              [['SafeSoftmaxBackward0',
                                [['UnsafeViewBackward0',
                                  [['BmmBackward0',
                                    [['ViewBackward0',
                                      [['ExpandBackward0',
                                        [['MulBackward1',
                                          [['AccumulateGrad', []]]]]]]],
                                     ['ReshapeAliasBackward0',
                                      [['ExpandBackward0',
                                        [['MulBackward1',
                                          [['TransposeBackward0',
                                            [['AccumulateGrad']]]]]]]]]]]]]]]]]]]]],
                         ['ViewBackward0',
                          [['ExpandBackward0', [['AccumulateGrad', []]]]]]]]]]},
 'mha_repr': 'MultiheadAttention(\n'
             '  (out_proj): NonDynamicallyQuantizableLinear(in_features=6, '
             'out_features=6, bias=True)\n'
             ')',
 'mha_params': [['in_proj_weight', [18, 6]], ['in_proj_bias', [18]],
                ['out_proj.weight', [6, 6]], ['out_proj.bias', [6]]],
 'mha_in_w': [0.08459234237670898, -0.46684736013412476, -0.3612831234931946,
              -0.257764995098114, 0.315468966960907, 0.293160617351532],
 'mha_out_w': [-0.0030564817134290934, 0.21900218725204468, -0.3360067903995514,
               -0.3004458546638489, -0.15723861753940582, 0.1094747856259346],
 'mha_out': [-0.043945454, 0.010702668, -0.05899661, -0.01341439, 0.07118924,
             -0.028173592, 0.015158635, -0.00055914349],
 'mha_w': [0.33281976, 0.31196636, 0.35521385, 0.0, 0.24698266, 0.32326066, 0.4297567,
           0.0],
 'mha_gin': [-0.0087298173, -0.012724491, -0.014996964, -0.015239671, -0.013419756,
             -0.0097835409],
 'mha_out_nw': [-0.10021594, -0.057501975, 0.014720792, 1.7378479e-06, -0.014190946,
                -0.10116656, 0.015158644, -0.00055913447],
 'mha_tree_nw': ['ViewBackward0',
                 [['AddmmBackward0',
                   [['AccumulateGrad', []],
                    ['ViewBackward0',
                     [['PermuteBackward0',
                       [['ScaledDotProductFlashAttentionForCpuBackward0',
                         [['ViewBackward0'], ['ViewBackward0'],
                          ['ViewBackward0']]]]]]],
                    ['TBackward0', [['AccumulateGrad', []]]]]]]],
 'enc_repr': 'TransformerEncoder(\n'
             '  (layers): ModuleList(\n'
             '    (0-1): 2 x TransformerEncoderLayer(\n'
             '      (self_attn): MultiheadAttention(\n'
             '        (out_proj): NonDynamicallyQuantizableLinear(in_features=6, '
             'out_features=6, bias=True)\n'
             '      )\n'
             '      (linear1): Linear(in_features=6, out_features=8, bias=True)\n'
             '      (dropout): Dropout(p=0.25, inplace=False)\n'
             '      (linear2): Linear(in_features=8, out_features=6, bias=True)\n'
             '      (norm1): LayerNorm((6,), eps=1e-05, elementwise_affine=True, '
             'bias=True)\n'
             '      (norm2): LayerNorm((6,), eps=1e-05, elementwise_affine=True, '
             'bias=True)\n'
             '      (dropout1): Dropout(p=0.25, inplace=False)\n'
             '      (dropout2): Dropout(p=0.25, inplace=False)\n'
             '    )\n'
             '  )\n'
             ')',
 'enc_out': [-1.5604372, -0.71675974, 0.51092601, 0.22616287, -0.11115202, 1.6512601,
             0.66616499, -0.44654009],
 'enc_gw': [1.2894218e-07, 1.3476838e-07, 5.9137502e-08, 1.5304559e-09, 2.4665512e-09,
            -3.2684508e-07],
 'enc_eval': [-1.9100758, 0.031654976, 0.72869527, -0.13717316, -0.05393235,
              1.3408308, 1.4741523, -1.0062165],
 'norm_first': [0.27234873, 1.122149, 1.5084538, 1.320537, 1.2200048, 0.97213268,
                -0.071275845, -0.43586278]}

# nn.Transformer and the decoder, recorded the same way (inputs from ``_inp``, output
# gradients from ``cos``)
EXPECTED_DEC = {'tr_repr': 'Transformer(\n'
                           '  (encoder): TransformerEncoder(\n'
                           '    (layers): ModuleList(\n'
                           '      (0): TransformerEncoderLayer(\n'
                           '        (self_attn): MultiheadAttention(\n'
                           '          (out_proj): NonDynamicallyQuantizableLinear(in_features=6, '
                           'out_features=6, bias=True)\n'
                           '        )\n'
                           '        (linear1): Linear(in_features=6, out_features=8, bias=True)\n'
                           '        (dropout): Dropout(p=0.2, inplace=False)\n'
                           '        (linear2): Linear(in_features=8, out_features=6, bias=True)\n'
                           '        (norm1): LayerNorm((6,), eps=1e-05, elementwise_affine=True, '
                           'bias=True)\n'
                           '        (norm2): LayerNorm((6,), eps=1e-05, elementwise_affine=True, '
                           'bias=True)\n'
                           '        (dropout1): Dropout(p=0.2, inplace=False)\n'
                           '        (dropout2): Dropout(p=0.2, inplace=False)\n'
                           '      )\n'
                           '    )\n'
                           '    (norm): LayerNorm((6,), eps=1e-05, elementwise_affine=True, '
                           'bias=True)\n'
                           '  )\n'
                           '  (decoder): TransformerDecoder(\n'
                           '    (layers): ModuleList(\n'
                           '      (0-1): 2 x TransformerDecoderLayer(\n'
                           '        (self_attn): MultiheadAttention(\n'
                           '          (out_proj): NonDynamicallyQuantizableLinear(in_features=6, '
                           'out_features=6, bias=True)\n'
                           '        )\n'
                           '        (multihead_attn): MultiheadAttention(\n'
                           '          (out_proj): NonDynamicallyQuantizableLinear(in_features=6, '
                           'out_features=6, bias=True)\n'
                           '        )\n'
                           '        (linear1): Linear(in_features=6, out_features=8, bias=True)\n'
                           '        (dropout): Dropout(p=0.2, inplace=False)\n'
                           '        (linear2): Linear(in_features=8, out_features=6, bias=True)\n'
                           '        (norm1): LayerNorm((6,), eps=1e-05, elementwise_affine=True, '
                           'bias=True)\n'
                           '        (norm2): LayerNorm((6,), eps=1e-05, elementwise_affine=True, '
                           'bias=True)\n'
                           '        (norm3): LayerNorm((6,), eps=1e-05, elementwise_affine=True, '
                           'bias=True)\n'
                           '        (dropout1): Dropout(p=0.2, inplace=False)\n'
                           '        (dropout2): Dropout(p=0.2, inplace=False)\n'
                           '        (dropout3): Dropout(p=0.2, inplace=False)\n'
                           '      )\n'
                           '    )\n'
                           '    (norm): LayerNorm((6,), eps=1e-05, elementwise_affine=True, '
                           'bias=True)\n'
                           '  )\n'
                           ')',
                'tr_params': [['encoder.layers.0.self_attn.in_proj_weight', [18, 6]],
                              ['encoder.layers.0.self_attn.in_proj_bias', [18]],
                              ['encoder.layers.0.self_attn.out_proj.weight', [6, 6]],
                              ['encoder.layers.0.self_attn.out_proj.bias', [6]],
                              ['encoder.layers.0.linear1.weight', [8, 6]],
                              ['encoder.layers.0.linear1.bias', [8]],
                              ['encoder.layers.0.linear2.weight', [6, 8]],
                              ['encoder.layers.0.linear2.bias', [6]],
                              ['encoder.layers.0.norm1.weight', [6]],
                              ['encoder.layers.0.norm1.bias', [6]],
                              ['encoder.layers.0.norm2.weight', [6]],
                              ['encoder.layers.0.norm2.bias', [6]], ['encoder.norm.weight', [6]],
                              ['encoder.norm.bias', [6]],
                              ['decoder.layers.0.self_attn.in_proj_weight', [18, 6]],
                              ['decoder.layers.0.self_attn.in_proj_bias', [18]],
                              ['decoder.layers.0.self_attn.out_proj.weight', [6, 6]],
                              ['decoder.layers.0.self_attn.out_proj.bias', [6]],
                              ['decoder.layers.0.multihead_attn.in_proj_weight', [18, 6]],
                              ['decoder.layers.0.multihead_attn.in_proj_bias', [18]],
                              ['decoder.layers.0.multihead_attn.out_proj.weight', [6, 6]],
                              ['decoder.layers.0.multihead_attn.out_proj.bias', [6]],
                              ['decoder.layers.0.linear1.weight', [8, 6]],
                              ['decoder.layers.0.linear1.bias', [8]],
                              ['decoder.layers.0.linear2.weight', [6, 8]],
                              ['decoder.layers.0.linear2.bias', [6]],
                              ['decoder.layers.0.norm1.weight', [6]],
                              ['decoder.layers.0.norm1.bias', [6]],
                              ['decoder.layers.0.norm2.weight', [6]],
                              ['decoder.layers.0.norm2.bias', [6]],
                              ['decoder.layers.0.norm3.weight', [6]],
                              ['decoder.layers.0.norm3.bias', [6]],
                              ['decoder.layers.1.self_attn.in_proj_weight', [18, 6]],
                              ['decoder.layers.1.self_attn.in_proj_bias', [18]],
                              ['decoder.layers.1.self_attn.out_proj.weight', [6, 6]],
                              ['decoder.layers.1.self_attn.out_proj.bias', [6]],
                              ['decoder.layers.1.multihead_attn.in_proj_weight', [18, 6]],
                              ['decoder.layers.1.multihead_attn.in_proj_bias', [18]],
                              ['decoder.layers.1.multihead_attn.out_proj.weight', [6, 6]],
                              ['decoder.layers.1.multihead_attn.out_proj.bias', [6]],
                              ['decoder.layers.1.linear1.weight', [8, 6]],
                              ['decoder.layers.1.linear1.bias', [8]],
                              ['decoder.layers.1.linear2.weight', [6, 8]],
                              ['decoder.layers.1.linear2.bias', [6]],
                              ['decoder.layers.1.norm1.weight', [6]],
                              ['decoder.layers.1.norm1.bias', [6]],
                              ['decoder.layers.1.norm2.weight', [6]],
                              ['decoder.layers.1.norm2.bias', [6]],
                              ['decoder.layers.1.norm3.weight', [6]],
                              ['decoder.layers.1.norm3.bias', [6]], ['decoder.norm.weight', [6]],
                              ['decoder.norm.bias', [6]]],
                'tr_keys': ['encoder.layers.0.self_attn.in_proj_weight',
                            'encoder.layers.0.self_attn.in_proj_bias',
                            'encoder.layers.0.self_attn.out_proj.weight',
                            'encoder.layers.0.self_attn.out_proj.bias',
                            'encoder.layers.0.linear1.weight', 'encoder.layers.0.linear1.bias',
                            'encoder.layers.0.linear2.weight', 'encoder.layers.0.linear2.bias',
                            'encoder.layers.0.norm1.weight', 'encoder.layers.0.norm1.bias',
                            'encoder.layers.0.norm2.weight', 'encoder.layers.0.norm2.bias',
                            'encoder.norm.weight', 'encoder.norm.bias',
                            'decoder.layers.0.self_attn.in_proj_weight',
                            'decoder.layers.0.self_attn.in_proj_bias',
                            'decoder.layers.0.self_attn.out_proj.weight',
                            'decoder.layers.0.self_attn.out_proj.bias',
                            'decoder.layers.0.multihead_attn.in_proj_weight',
                            'decoder.layers.0.multihead_attn.in_proj_bias',
                            'decoder.layers.0.multihead_attn.out_proj.weight',
                            'decoder.layers.0.multihead_attn.out_proj.bias',
                            'decoder.layers.0.linear1.weight', 'decoder.layers.0.linear1.bias',
                            'decoder.layers.0.linear2.weight', 'decoder.layers.0.linear2.bias',
                            'decoder.layers.0.norm1.weight', 'decoder.layers.0.norm1.bias',
                            'decoder.layers.0.norm2.weight', 'decoder.layers.0.norm2.bias',
                            'decoder.layers.0.norm3.weight', 'decoder.layers.0.norm3.bias',
                            'decoder.layers.1.self_attn.in_proj_weight',
                            'decoder.layers.1.self_attn.in_proj_bias',
                            'decoder.layers.1.self_attn.out_proj.weight',
                            'decoder.layers.1.self_attn.out_proj.bias',
                            'decoder.layers.1.multihead_attn.in_proj_weight',
                            'decoder.layers.1.multihead_attn.in_proj_bias',
                            'decoder.layers.1.multihead_attn.out_proj.weight',
                            'decoder.layers.1.multihead_attn.out_proj.bias',
                            'decoder.layers.1.linear1.weight', 'decoder.layers.1.linear1.bias',
                            'decoder.layers.1.linear2.weight', 'decoder.layers.1.linear2.bias',
                            'decoder.layers.1.norm1.weight', 'decoder.layers.1.norm1.bias',
                            'decoder.layers.1.norm2.weight', 'decoder.layers.1.norm2.bias',
                            'decoder.layers.1.norm3.weight', 'decoder.layers.1.norm3.bias',
                            'decoder.norm.weight', 'decoder.norm.bias'],
                'tr_init': {'encoder.layers.0.self_attn.in_proj_weight': [-0.095564723, 0.22475421,
                                                                          -0.10811907,
                                                                          0.42476559],
                            'encoder.layers.0.self_attn.out_proj.weight': [-0.0052962573,
                                                                           0.52690691, -0.25907052,
                                                                           -0.56609178],
                            'encoder.layers.0.linear1.weight': [0.0073729046, 0.50822031,
                                                                0.37230852, 0.13885573],
                            'encoder.layers.0.linear2.weight': [-0.38909572, 0.38455424,
                                                                0.28786051, 0.55845809],
                            'decoder.layers.0.self_attn.in_proj_weight': [-0.1282891, 0.3982724,
                                                                          0.011767805,
                                                                          -0.39671749],
                            'decoder.layers.0.self_attn.out_proj.weight': [0.0017290323,
                                                                           -0.033085361,
                                                                           -0.22820689,
                                                                           -0.67827582],
                            'decoder.layers.0.multihead_attn.in_proj_weight': [-0.20472765,
                                                                               0.3621121,
                                                                               0.25474238,
                                                                               0.17438895],
                            'decoder.layers.0.multihead_attn.out_proj.weight': [-0.13820854,
                                                                                -0.28177628,
                                                                                -0.17960584,
                                                                                0.40209982],
                            'decoder.layers.0.linear1.weight': [-0.13914043, 0.019398835,
                                                                -0.48830885, -0.14477809],
                            'decoder.layers.0.linear2.weight': [0.55942905, -0.35140437,
                                                                -0.43967047, 0.28015608],
                            'decoder.layers.1.self_attn.in_proj_weight': [0.12635767, -0.22905213,
                                                                          0.31075621,
                                                                          -0.36168832],
                            'decoder.layers.1.self_attn.out_proj.weight': [0.49288377, -0.5651921,
                                                                           -0.49155524,
                                                                           -0.59490234],
                            'decoder.layers.1.multihead_attn.in_proj_weight': [0.29590511,
                                                                               0.24480778,
                                                                               0.28890193,
                                                                               0.37151438],
                            'decoder.layers.1.multihead_attn.out_proj.weight': [0.19673188,
                                                                                0.021652184,
                                                                                0.44578671,
                                                                                0.21303394],
                            'decoder.layers.1.linear1.weight': [0.42235687, 0.24591148,
                                                                -0.072426699, -0.42607537],
                            'decoder.layers.1.linear2.weight': [-0.63008058, -0.16070364,
                                                                -0.2918011, -0.196134]},
                'tr_out': [-0.52770638, 1.571937, -1.0774872, -1.088724, 0.93163896, 0.19034171,
                           1.0104337, -0.95111543],
                'tr_tree': ['NativeLayerNormBackward0',
                            [['NativeLayerNormBackward0',
                              [['AddBackward0',
                                [['NativeLayerNormBackward0',
                                  [['AddBackward0'], ['AccumulateGrad'], ['AccumulateGrad']]],
                                 ['MulBackward0', [['ViewBackward0']]]]],
                               ['AccumulateGrad', []], ['AccumulateGrad', []]]],
                             ['AccumulateGrad', []], ['AccumulateGrad', []]]],
                'tr_g_cross': [-0.0001806654, -0.67934424, 0.64794576, 0.6260457, -0.34570801,
                               -0.24875858],
                'tr_g_enc': [-0.39743695, -0.42181617, -0.52541202, -0.14507434, 0.56605554,
                             0.92368424],
                'tr_eval': [-0.73923826, 1.6837511, -0.69411021, -1.1828363, 0.85534537,
                            0.077088095, 1.0125654, 0.42616081, -1.1923151, -0.31137413,
                            -1.2466509, 1.311614],
                'tr_eval_pad': [-0.73923826, 1.6837511, -0.69411021, -1.1828363, 0.85534537,
                                0.077088095, 0.79518878, -0.28666627, -1.1243213, -0.87243026,
                                -0.29338071, 1.7816098],
                'tr_unbatched': [-0.73923808, 1.6837512, -0.69411039, -1.1828362, 0.85534561,
                                 0.077087879, -1.5247768, 0.63900334, 0.78677636, -1.2593136,
                                 0.94304812, 0.41526246],
                'dl_repr': 'TransformerDecoderLayer(\n'
                           '  (self_attn): MultiheadAttention(\n'
                           '    (out_proj): NonDynamicallyQuantizableLinear(in_features=6, '
                           'out_features=6, bias=True)\n'
                           '  )\n'
                           '  (multihead_attn): MultiheadAttention(\n'
                           '    (out_proj): NonDynamicallyQuantizableLinear(in_features=6, '
                           'out_features=6, bias=True)\n'
                           '  )\n'
                           '  (linear1): Linear(in_features=6, out_features=10, bias=True)\n'
                           '  (dropout): Dropout(p=0.1, inplace=False)\n'
                           '  (linear2): Linear(in_features=10, out_features=6, bias=True)\n'
                           '  (norm1): LayerNorm((6,), eps=1e-05, elementwise_affine=True, '
                           'bias=True)\n'
                           '  (norm2): LayerNorm((6,), eps=1e-05, elementwise_affine=True, '
                           'bias=True)\n'
                           '  (norm3): LayerNorm((6,), eps=1e-05, elementwise_affine=True, '
                           'bias=True)\n'
                           '  (dropout1): Dropout(p=0.1, inplace=False)\n'
                           '  (dropout2): Dropout(p=0.1, inplace=False)\n'
                           '  (dropout3): Dropout(p=0.1, inplace=False)\n'
                           ')',
                'dec_repr': 'TransformerDecoder(\n'
                            '  (layers): ModuleList(\n'
                            '    (0-1): 2 x TransformerDecoderLayer(\n'
                            '      (self_attn): MultiheadAttention(\n'
                            '        (out_proj): NonDynamicallyQuantizableLinear(in_features=6, '
                            'out_features=6, bias=True)\n'
                            '      )\n'
                            '      (multihead_attn): MultiheadAttention(\n'
                            '        (out_proj): NonDynamicallyQuantizableLinear(in_features=6, '
                            'out_features=6, bias=True)\n'
                            '      )\n'
                            '      (linear1): Linear(in_features=6, out_features=10, bias=True)\n'
                            '      (dropout): Dropout(p=0.1, inplace=False)\n'
                            '      (linear2): Linear(in_features=10, out_features=6, bias=True)\n'
                            '      (norm1): LayerNorm((6,), eps=1e-05, elementwise_affine=True, '
                            'bias=True)\n'
                            '      (norm2): LayerNorm((6,), eps=1e-05, elementwise_affine=True, '
                            'bias=True)\n'
                            '      (norm3): LayerNorm((6,), eps=1e-05, elementwise_affine=True, '
                            'bias=True)\n'
                            '      (dropout1): Dropout(p=0.1, inplace=False)\n'
                            '      (dropout2): Dropout(p=0.1, inplace=False)\n'
                            '      (dropout3): Dropout(p=0.1, inplace=False)\n'
                            '    )\n'
                            '  )\n'
                            '  (norm): LayerNorm((6,), eps=1e-05, elementwise_affine=True, '
                            'bias=True)\n'
                            ')',
                'dec_out': [0.17727782, 0.013731351, 0.62885696, -2.1446221, 0.44334164,
                            0.88141447, -2.0011172, 0.80790871],
                'dec_gt': [1.2757353, 0.32349539, -1.3388594, -1.4987229, -0.11184761, 1.3501992,
                           0.6801579, 1.4505186],
                'dl_out': [-0.70609087, 0.095886543, -0.66076422, -1.3707426, -1.1419801,
                           -0.79969323, -0.57124394, -0.98584545]}


TOL = {"rtol": 2e-5, "atol": 2e-6}


def _inp(shape, k, dtype=np.float32) -> np.ndarray:
    n = int(np.prod(shape))
    return np.sin(np.arange(n) * 0.37 + k).reshape(shape).astype(dtype)


def _leaf(shape, k) -> Tensor:
    return api.tensor(_inp(shape, k)).requires_grad_(True)


def _name(fn) -> str:
    name = fn.name()
    return "AccumulateGrad" if name.endswith("AccumulateGrad") else name


def _names(fn, depth: int):
    if fn is None:
        return None
    if depth == 0:
        return [_name(fn)]
    return [_name(fn), [_names(f, depth - 1) for f, _ in fn.next_functions if f is not None]]


def _head(t: Tensor, n: int) -> np.ndarray:
    return np.asarray(t._data, dtype=np.float64).reshape(-1)[:n]


def _check(t: Tensor, want) -> None:
    np.testing.assert_allclose(_head(t, len(want)), np.array(want), **TOL)


def _sdpa(shapes, mask=None, **kw):
    q, k, v = (_leaf(s, i) for i, s in enumerate(shapes))
    m = None if mask is None else api.tensor(np.array(mask, dtype=bool))
    out = FA.scaled_dot_product_attention(q, k, v, attn_mask=m, **kw)
    grad = np.cos(np.arange(out.numel())).reshape(tuple(out.shape)).astype(np.float32)
    out.backward(api.tensor(grad))
    return out, q, k, v


MASK = [[1, 1, 0, 1, 1], [1, 0, 1, 1, 1], [0, 0, 0, 0, 0]]
SDPA_CASES = {
    "flash": ([(2, 2, 3, 4), (2, 2, 5, 4), (2, 2, 5, 4)], None, {}),
    "flash_causal_mask": ([(1, 2, 3, 4), (1, 2, 5, 4), (1, 2, 5, 4)], MASK,
                          {"is_causal": True}),
    "math_3d_mask": ([(2, 3, 4), (2, 5, 4), (2, 5, 4)], MASK, {}),
    "math_causal_scale": ([(3, 4), (5, 4), (5, 4)], None, {"is_causal": True, "scale": -0.7}),
    "gqa": ([(1, 4, 3, 4), (1, 2, 5, 4), (1, 2, 5, 4)], None, {"enable_gqa": True}),
}


@pytest.mark.parametrize("name", list(SDPA_CASES))
def test_sdpa_values_grads_and_graph(name):
    shapes, mask, kw = SDPA_CASES[name]
    want = EXPECTED[name]
    out, q, k, v = _sdpa(shapes, mask, **kw)
    _check(out, want["out"])
    _check(q.grad, want["gq"])
    _check(k.grad, want["gk"])
    _check(v.grad, want["gv"])
    assert _names(out.grad_fn, 3) == want["tree"]


def test_sdpa_dropout_draws_and_math_graph():
    api.manual_seed(3)
    q, k, v = (_leaf(s, i) for i, s in enumerate([(1, 2, 3, 4), (1, 2, 5, 4), (1, 2, 5, 4)]))
    out = FA.scaled_dot_product_attention(q, k, v, dropout_p=0.4)
    want = EXPECTED["dropout"]
    _check(out, want["out"])
    assert _names(out.grad_fn, 12) == want["tree"]


def test_sdpa_fully_masked_row_is_zero_on_both_paths():
    mask = api.tensor(np.array(MASK, dtype=bool))
    for shapes in ([(1, 1, 3, 4), (1, 1, 5, 4), (1, 1, 5, 4)], [(3, 4), (5, 4), (5, 4)]):
        q, k, v = (_leaf(s, i) for i, s in enumerate(shapes))
        out = FA.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        assert np.all(out._data[..., 2, :] == 0)
        out.sum().backward()
        assert np.all(np.isfinite(q.grad._data))


def test_sdpa_no_grad_has_no_graph():
    q, k, v = (api.tensor(_inp(s, i)) for i, s in enumerate([(1, 2, 3, 4), (1, 2, 5, 4),
                                                               (1, 2, 5, 4)]))
    assert FA.scaled_dot_product_attention(q, k, v).grad_fn is None


def test_sdpa_errors():
    q = api.tensor(_inp((2, 3, 4, 5), 0))
    with pytest.raises(TorchRuntimeError, match="query.dtype: float key.dtype: double and "
                                                "value.dtype: float instead"):
        FA.scaled_dot_product_attention(q, q.double(), q)
    with pytest.raises(TorchRuntimeError, match="all be  at least 2 dimensional, but got "
                                                "query.dim: 1 key.dim: 4"):
        FA.scaled_dot_product_attention(api.tensor(_inp((5,), 0)), q, q)
    with pytest.raises(TorchRuntimeError, match="attn_mask.dtype: long int and  query.dtype: "
                                                "float instead"):
        FA.scaled_dot_product_attention(q, q, q, attn_mask=api.ones(4, 4, dtype=api.int64))
    with pytest.raises(TorchRuntimeError, match="Explicit attn_mask should not be set when "
                                                "is_causal=True"):
        FA.scaled_dot_product_attention(q, q, q, attn_mask=api.ones(4, 4, dtype=api.bool),
                                       dropout_p=0.1, is_causal=True)


def test_mha_parameters_init_and_repr():
    api.manual_seed(0)
    mha = A.MultiheadAttention(6, 2)
    assert repr(mha) == EXPECTED["mha_repr"]
    assert [[n, list(p.shape)] for n, p in mha.named_parameters()] == EXPECTED["mha_params"]
    # drawn from torch's stream in torch's order: out_proj (Linear) first, then xavier
    np.testing.assert_array_equal(_head(mha.in_proj_weight, 6).astype(np.float32),
                                  np.array(EXPECTED["mha_in_w"], dtype=np.float32))
    np.testing.assert_array_equal(_head(mha.out_proj.weight, 6).astype(np.float32),
                                  np.array(EXPECTED["mha_out_w"], dtype=np.float32))
    assert np.all(mha.in_proj_bias._data == 0) and np.all(mha.out_proj.bias._data == 0)


def test_mha_forward_backward():
    api.manual_seed(0)
    mha = A.MultiheadAttention(6, 2)
    x = api.tensor(_inp((4, 2, 6), 5))
    kpm = api.tensor(np.array([[0, 0, 0, 1], [0, 0, 0, 0]], dtype=bool))
    out, weights = mha(x, x, x, key_padding_mask=kpm)
    _check(out, EXPECTED["mha_out"])
    _check(weights, EXPECTED["mha_w"])
    out.sum().backward()
    _check(mha.in_proj_weight.grad, EXPECTED["mha_gin"])
    out2, none = mha(x, x, x, need_weights=False)
    assert none is None
    _check(out2, EXPECTED["mha_out_nw"])
    assert _names(out2.grad_fn, 5) == EXPECTED["mha_tree_nw"]


def test_transformer_encoder(capsys):
    api.manual_seed(1)
    layer = A.TransformerEncoderLayer(6, 2, dim_feedforward=8, dropout=0.25)
    enc = A.TransformerEncoder(layer, 2, enable_nested_tensor=False)
    assert capsys.readouterr().err == ""
    assert repr(enc) == EXPECTED["enc_repr"]
    x = api.tensor(_inp((4, 2, 6), 5))
    y = enc(x)
    _check(y, EXPECTED["enc_out"])
    (y * y).mean().backward()
    _check(enc.layers[1].linear1.weight.grad, EXPECTED["enc_gw"])
    enc.eval()
    causal = api.triu(api.full((4, 4), float("-inf")), diagonal=1)
    _check(enc(x, mask=causal), EXPECTED["enc_eval"])


def test_transformer_encoder_warns_about_nested_tensor(capsys):
    A.TransformerEncoder(A.TransformerEncoderLayer(4, 2, 8), 1)
    assert ("enable_nested_tensor is True, but self.use_nested_tensor is False because "
            "encoder_layer.self_attn.batch_first was not True(use batch_first for better "
            "inference performance)") in capsys.readouterr().err


def test_norm_first_gelu_batch_first_with_padding():
    api.manual_seed(2)
    layer = A.TransformerEncoderLayer(6, 3, 8, 0.0, activation="gelu", batch_first=True,
                                      norm_first=True)
    xb = api.tensor(_inp((2, 4, 6), 7))
    kpm = api.tensor(np.array([[0, 0, 0, 1], [0, 0, 0, 0]], dtype=bool))
    _check(layer(xb, src_key_padding_mask=kpm), EXPECTED["norm_first"])


def test_bad_activation():
    with pytest.raises(TorchRuntimeError, match="activation should be relu/gelu, not tanh"):
        A.TransformerEncoderLayer(4, 2, activation="tanh")


# ============================================================================ decoder


def _cos_weights(t: Tensor) -> Tensor:
    return api.tensor(np.cos(np.arange(t.numel())).reshape(tuple(t.shape)).astype(np.float32))


def _small_transformer():
    api.manual_seed(4)
    return A.Transformer(d_model=6, nhead=2, num_encoder_layers=1, num_decoder_layers=2,
                         dim_feedforward=8, dropout=0.2)


def test_transformer_parameters_init_repr_and_warning(capsys):
    m = _small_transformer()
    assert ("enable_nested_tensor is True, but self.use_nested_tensor is False because "
            "encoder_layer.self_attn.batch_first was not True(use batch_first for better "
            "inference performance)") in capsys.readouterr().err
    want = EXPECTED_DEC
    assert repr(m) == want["tr_repr"]
    assert [[n, list(p.shape)] for n, p in m.named_parameters()] == want["tr_params"]
    assert list(m.state_dict().keys()) == want["tr_keys"]
    # every weight matrix re-drawn by xavier_uniform_ in parameter order, after the
    # layers' own initialisation drew from the same stream
    got = {n: _head(p, 4).astype(np.float32).tolist() for n, p in m.named_parameters()
           if p.ndim > 1}
    assert list(got) == list(want["tr_init"])
    for name, values in want["tr_init"].items():
        np.testing.assert_array_equal(np.array(got[name], dtype=np.float32),
                                      np.array(values, dtype=np.float32), err_msg=name)
    assert (m.d_model, m.nhead, m.batch_first) == (6, 2, False)


def test_transformer_training_forward_backward():
    m = _small_transformer()
    src, tgt = api.tensor(_inp((5, 2, 6), 1)), api.tensor(_inp((4, 2, 6), 2))
    mask = A.Transformer.generate_square_subsequent_mask(4)
    out = m(src, tgt, tgt_mask=mask)  # dropout draws in torch's order
    _check(out, EXPECTED_DEC["tr_out"])
    assert _names(out.grad_fn, 4) == EXPECTED_DEC["tr_tree"]
    (out * _cos_weights(out)).sum().backward()
    _check(m.decoder.layers[1].multihead_attn.in_proj_weight.grad,
           EXPECTED_DEC["tr_g_cross"])
    _check(m.encoder.layers[0].linear1.weight.grad, EXPECTED_DEC["tr_g_enc"])


def test_transformer_eval_masks_and_unbatched():
    m = _small_transformer()
    m.eval()
    src, tgt = api.tensor(_inp((5, 2, 6), 1)), api.tensor(_inp((4, 2, 6), 2))
    mask = A.Transformer.generate_square_subsequent_mask(4)
    with api.no_grad():
        _check(m(src, tgt, tgt_mask=mask), EXPECTED_DEC["tr_eval"])
        kpm = api.tensor(np.array([[0] * 5, [0] * 3 + [1] * 2], dtype=bool))
        tkpm = api.tensor(np.array([[0] * 4, [0] * 3 + [1]], dtype=bool))
        bool_causal = api.tensor(np.triu(np.ones((4, 4), dtype=bool), 1))
        _check(m(src, tgt, tgt_mask=bool_causal, src_key_padding_mask=kpm,
                 memory_key_padding_mask=kpm, tgt_key_padding_mask=tkpm),
               EXPECTED_DEC["tr_eval_pad"])
        _check(m(src[:, 0], tgt[:, 0], tgt_mask=mask), EXPECTED_DEC["tr_unbatched"])


def test_decoder_norm_first_gelu_batch_first():
    api.manual_seed(3)
    layer = A.TransformerDecoderLayer(6, 3, 10, 0.1, activation="gelu", batch_first=True,
                                      norm_first=True)
    assert repr(layer) == EXPECTED_DEC["dl_repr"]
    from adcli.engine.nn.normalization import LayerNorm
    dec = A.TransformerDecoder(layer, 2, norm=LayerNorm(6))
    assert repr(dec) == EXPECTED_DEC["dec_repr"]
    t = _leaf((2, 4, 6), 3)
    mem = api.tensor(_inp((2, 5, 6), 4))
    y = dec(t, mem, tgt_mask=A.Transformer.generate_square_subsequent_mask(4))
    _check(y, EXPECTED_DEC["dec_out"])
    (y * _cos_weights(y)).sum().backward()
    _check(t.grad, EXPECTED_DEC["dec_gt"])
    _check(layer(t, mem, memory_mask=api.zeros(4, 5)), EXPECTED_DEC["dl_out"])


def test_generate_square_subsequent_mask():
    from adcli.lang.classes import host_class_attribute

    gen = host_class_attribute(A.Transformer, "generate_square_subsequent_mask")
    mask = gen(5)
    assert mask.dtype == api.float32 and tuple(mask.shape) == (5, 5)
    want = np.triu(np.full((5, 5), -np.inf, dtype=np.float32), 1)
    np.testing.assert_array_equal(mask._data, want)
    assert repr(gen(3)) == ("tensor([[0., -inf, -inf],\n"
                            "        [0., 0., -inf],\n"
                            "        [0., 0., 0.]])")
    assert gen(2, dtype=api.float64).dtype == api.float64
    assert A._detect_is_causal_mask(gen(4), None, 4)
    assert not A._detect_is_causal_mask(api.zeros(4, 4), None, 4)


def test_transformer_errors():
    api.manual_seed(0)
    m = A.Transformer(d_model=8, nhead=4, num_encoder_layers=1, num_decoder_layers=1,
                      dim_feedforward=8, batch_first=True)
    with pytest.raises(TorchRuntimeError, match="the batch number of src and tgt must be "
                                                "equal"):
        m(api.tensor(_inp((2, 5, 8), 1)), api.tensor(_inp((3, 3, 8), 2)))
    with pytest.raises(TorchRuntimeError, match="the feature number of src and tgt must be "
                                                "equal to d_model"):
        m(api.tensor(_inp((2, 5, 8), 1)), api.tensor(_inp((2, 3, 6), 2)))
    with pytest.raises(TorchRuntimeError, match="activation should be relu/gelu, not tanh"):
        A.TransformerDecoderLayer(4, 2, activation="tanh")
