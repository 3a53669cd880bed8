"""torch.linalg.solve_triangular, lu_factor(_ex), lu, lu_solve, matrix_exp and torch's
triangular_solve, lu, lu_solve, lu_unpack, cholesky_solve, cholesky_inverse: values,
gradients and grad_fn names as torch 2.13 gives them (hard-coded from real runs, float64;
REF is gen.py's output, pasted), second derivatives against finite differences, batching,
and torch's errors."""

from __future__ import annotations

import numpy as np
import pytest

from adcli.engine import api as torch
from adcli.engine import forward_ad as fwAD
from adcli.engine import functional
from adcli.engine.ops import linalg_solve as LS
from adcli.errors import AdcliError

LA = torch.LINALG_FUNCTIONS
A = [[2.0, 0.5, -1.0], [0.3, 1.5, 0.4], [-0.6, 0.2, 1.2]]
B = [[1.0, -2.0], [0.5, 0.25], [3.0, 1.0]]
W = [[0.5, -1.0], [2.0, 0.3], [-0.7, 1.1]]
M = [[1.0, 2.0, 0.5], [3.0, -1.0, 2.0], [0.5, 4.0, 1.0]]
WM = [[0.3, -0.2, 0.9], [1.1, 0.4, -0.5], [0.6, -1.3, 0.2]]
S = [[4.0, 1.0, 0.5], [1.0, 3.0, -0.2], [0.5, -0.2, 2.0]]

# fmt: off
REF = \
{'CS': {False: ([[2.0, 0.0, 0.0],
                 [0.5, 1.6583123951777, 0.0],
                 [0.25, -0.19598237397554635, 1.3780750738225074]],
                [[-0.009095260890378154, -0.6771182383915749],
                 [0.271661081857348, 0.3560315940641456],
                 [1.5294399234083293, 0.7048827190043083]],
                [[-0.7405457156534228, 0.418233328474383, 1.0266878314934058],
                 [0.06629966491144096, -0.6497143693713755, -1.8650131689599017],
                 [0.7917663954044997, -2.2273446957989704, -0.11902217883849714]],
                [[-0.0014360938247965846, -0.4049784585926281],
                 [0.6481570129248445, 0.2802776448061274],
                 [-0.28482527525131635, 0.6792723791287697]],
                [[0.28530397319291523, -0.10052656773575874, -0.08137865007180468],
                 [-0.10052656773575874, 0.3709909047391096, 0.062230732407850646],
                 [-0.08137865007180468, 0.062230732407850646, 0.5265677357587362]],
                [[0.020679751077070388, -0.20091134114516368, -0.45055407564137845],
                 [-0.18346098611775963, -0.0015515782451942933, 0.6089961045333626],
                 [-0.39851603638104344, 0.7058598519184074, 0.1897003310432651]]),
        True: ([[2.0, 0.5, 0.25],
                [0.0, 1.6583123951777, -0.19598237397554635],
                [0.0, 0.0, 1.3780750738225074]],
               [[-0.009095260890378154, -0.6771182383915749],
                [0.271661081857348, 0.3560315940641456],
                [1.5294399234083293, 0.7048827190043083]],
               [[-0.7405457156534228, 0.06629966491144096, 0.7917663954044997],
                [0.418233328474383, -0.6497143693713755, -2.2273446957989704],
                [1.0266878314934058, -1.8650131689599017, -0.11902217883849714]],
               [[-0.0014360938247965846, -0.4049784585926281],
                [0.6481570129248445, 0.2802776448061274],
                [-0.28482527525131635, 0.6792723791287697]],
               [[0.28530397319291523, -0.10052656773575874, -0.08137865007180468],
                [-0.10052656773575874, 0.3709909047391096, 0.062230732407850646],
                [-0.08137865007180468, 0.062230732407850646, 0.5265677357587362]],
               [[0.020679751077070388, -0.18346098611775968, -0.3985160363810433],
                [-0.20091134114516362, -0.0015515782451942933, 0.7058598519184074],
                [-0.45055407564137856, 0.6089961045333626, 0.1897003310432651]])},
 'LU': ([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]],
        [[1.0, 0.0, 0.0],
         [0.16666666666666666, 1.0, 0.0],
         [0.3333333333333333, 0.5599999999999999, 1.0]],
        [[3.0, -1.0, 2.0], [0.0, 4.166666666666667, 0.6666666666666667], [0.0, 0.0, -0.54]],
        [[-0.048, -0.344, 0.2],
         [0.06507555555555548, 1.1158933333333334, 0.7686666666666666],
         [1.5055466666666666, 0.5926400000000001, -1.412]]),
 'LUF': ([[3.0, -1.0, 2.0],
          [0.16666666666666666, 4.166666666666667, 0.6666666666666667],
          [0.3333333333333333, 0.5599999999999999, -0.54]],
         [2, 3, 3],
         [[-0.048, -0.344, 0.2],
          [0.15396444444444435, -0.18410666666666675, 0.9353333333333333],
          [0.9722133333333334, 0.5926400000000001, -0.612]]),
 'LUS': {(False, False): ([[-4.0740740740740735, 1.2777777777777777, 2.481481481481481],
                           [-4.444444444444444, 0.41666666666666663, 2.388888888888888]],
                          [[-1.7555555555555549, -0.12345679012345673, 2.338271604938271],
                           [-5.679629629629629, 0.0003703703703704786, 0.46518518518518487],
                           [9.481481481481481, 0.4567901234567904, 10.784636488340189]],
                          [[1.133333333333333, -2.0666666666666664],
                           [-0.1259259259259259, -0.24814814814814806],
                           [-0.7629629629629627, 3.1259259259259253]],
                          [[-4.567901234567898, -1.6159122085048006, 10.784636488340189],
                           [-0.587037037037037, 0.2643004115226336, -0.3275720164609055],
                           [2.12469135802469, 0.9052812071330587, -5.57421124828532]]),
         (False, True): ([[-0.6666666666666663, 0.46296296296296297, 1.481481481481481],
                          [-3.3333333333333326, -0.5462962962962962, 4.851851851851851]],
                         [[-0.9999999999999998, -0.2592592592592592, 1.3703703703703702],
                          [-0.001851851851853159, -0.2451111111111111, -0.7315555555555553],
                          [-0.4574074074074055, -4.30895061728395, 12.135253772290808]],
                         [[2.555555555555555, -3.281481481481481],
                          [-0.5333333333333332, 0.45555555555555544],
                          [-0.9111111111111106, 1.8296296296296293]],
                         [[-9.234567901234565, -2.975788751714677, 12.135253772290806],
                          [1.1629629629629628, 0.4957818930041151, -1.4201646090534972],
                          [5.491358024691355, 1.4213305898491078, -7.527297668038406]]),
         (True, False): ([[-0.6666666666666663, -3.3333333333333326],
                          [0.46296296296296297, -0.5462962962962962],
                          [1.481481481481481, 4.851851851851851]],
                         [[-0.9999999999999998, -0.2592592592592592, 1.3703703703703702],
                          [-0.001851851851853159, -0.2451111111111111, -0.7315555555555553],
                          [-0.4574074074074055, -4.30895061728395, 12.135253772290808]],
                         [[2.555555555555555, -3.281481481481481],
                          [-0.5333333333333332, 0.45555555555555544],
                          [-0.9111111111111106, 1.8296296296296293]],
                         [[-9.234567901234565, -2.975788751714677, 12.135253772290806],
                          [1.1629629629629628, 0.4957818930041151, -1.4201646090534972],
                          [5.491358024691355, 1.4213305898491078, -7.527297668038406]]),
         (True, True): ([[-4.0740740740740735, -4.444444444444444],
                         [1.2777777777777777, 0.41666666666666663],
                         [2.481481481481481, 2.388888888888888]],
                        [[-1.7555555555555549, -0.12345679012345673, 2.338271604938271],
                         [-5.679629629629629, 0.0003703703703704786, 0.46518518518518487],
                         [9.481481481481481, 0.4567901234567904, 10.784636488340189]],
                        [[1.133333333333333, -2.0666666666666664],
                         [-0.1259259259259259, -0.24814814814814806],
                         [-0.7629629629629627, 3.1259259259259253]],
                        [[-4.567901234567898, -1.6159122085048006, 10.784636488340189],
                         [-0.587037037037037, 0.2643004115226336, -0.3275720164609055],
                         [2.12469135802469, 0.9052812071330587, -5.57421124828532]])},
 'LU_RECT': {2: ([[3.0, -1.0, 2.0],
                  [0.3333333333333333, 2.3333333333333335, -0.16666666666666663]],
                 [2, 2],
                 [[-0.39999999999999997, 0.6, 1.0],
                  [-0.8666666666666667, -0.7999999999999999, -0.5333333333333332]],
                 [[0.0, 1.0], [1.0, 0.0]],
                 [[1.0, 0.0], [0.3333333333333333, 1.0]],
                 [[3.0, -1.0, 2.0], [0.0, 2.3333333333333335, -0.16666666666666663]],
                 [[-0.5444444444444444, 1.7, 2.0],
                  [0.6814814814814815, 0.2333333333333334, 0.43333333333333346]]),
             3: ([[3.0, -1.0],
                  [0.16666666666666666, 4.166666666666667],
                  [0.3333333333333333, 0.56]],
                 [2, 3],
                 [[0.27999999999999997, 0.24],
                  [-1.0858666666666665, -0.6909333333333334],
                  [-0.04479999999999999, 0.06559999999999996]],
                 [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]],
                 [[1.0, 0.0], [0.16666666666666666, 1.0], [0.3333333333333333, 0.56]],
                 [[3.0, -1.0], [0.0, 4.166666666666667]],
                 [[0.3118222222222222, 0.26880000000000004],
                  [0.2747922962962963, 0.6021546666666667],
                  [0.7276017777777778, 1.849472]])},
 'ME': {1e-10: ([[1.0000000001, 2.0000000001e-10, 5.0000000025000004e-11],
                 [3.00000000005e-10, 0.9999999999, 2.000000000075e-10],
                 [5.0000000065e-11, 4.00000000005e-10, 1.0000000001]],
                [[0.30000000021249995, -0.1999999998375, 0.8999999999874999],
                 [1.1000000001775, 0.39999999979500006, -0.4999999997625],
                 [0.6000000000524999, -1.2999999998550003, 0.1999999997475]],
                [[1.0, 2.000000026702864e-10, 5.00000006675716e-11],
                 [2.999999970665357e-10, 1.0, 2.000000026702864e-10],
                 [5.00000006675716e-11, 4.000000053405728e-10, 1.0]]),
        1e-05: ([[1.0000100003625028, 2.000010000541669e-05, 5.000250002104203e-06],
                 [3.0000050007791688e-05, 0.9999900007499989, 2.0000075005333353e-05],
                 [5.00065000343759e-06, 4.0000050010333355e-05, 1.000010000462503]],
                [[0.3000212503616702, -0.19998375014916214, 0.8999987503916665],
                 [1.100017750257088, 0.39997950047582914, -0.4999762502562437],
                 [0.6000052502170843, -1.2999855003712468, 0.199974750211247]],
                [[1.0000100135803223, 2.0000099539174698e-05, 5.000249984732363e-06],
                 [3.000004835485015e-05, 0.9999899864196777, 2.000007407332305e-05],
                 [5.0006497076537926e-06, 4.0000049921218306e-05, 1.0000100135803223]]),
        0.01: ([[1.0103651750795468, 0.020105437736187212, 0.005252139997275444],
                [0.030057809687290313, 0.9907489285636888, 0.020080351006939584],
                [0.005653527665237474, 0.040060355096888656, 1.0104655219965375]],
               [[0.32161521265047804, -0.18389460499637733, 0.8991414451997031],
                [1.118011443180302, 0.3799716057669373, -0.4764999515073909],
                [0.6054681271026534, -1.2858681990138363, 0.1749583185072791]],
               [[1.0103651285171509, 0.020105436444282532, 0.005252140108495951],
                [0.030057808384299278, 0.990748941898346, 0.02008035033941269],
                [0.005653527565300465, 0.04006035253405571, 1.0104655027389526]]),
        0.1: ([[1.139402021773775, 0.21566888203226664, 0.07748290330185449],
               [0.31302968625116095, 0.9747921191280488, 0.2130504728329569],
               [0.11937745049081061, 0.4156273088686747, 1.1498756585710141]],
              [[0.552621593073866, -0.0479384401750399, 0.9269043108580203],
               [1.307804958847777, 0.2388844789778286, -0.2819799427218951],
               [0.6754865691821492, -1.189308773126417, -0.0340742623639167]],
              [[1.139402151107788, 0.21566887199878693, 0.0774829089641571],
               [0.3130297064781189, 0.9747921228408813, 0.2130504548549652],
               [0.11937744915485382, 0.41562730073928833, 1.1498758792877197]]),
        0.5: ([[3.1840894931633987, 2.234331697416187, 1.4662394601310493],
               [2.9480946413345017, 2.9163469565973856, 2.133480971218743],
               [3.079851079290165, 3.8635590376477054, 3.587492397953177]],
              [[3.0870658674847093, 0.8459128765534223, 2.1543156588639025],
               [3.44494099037558, 0.3768496469298445, 0.852548441585426],
               [1.7405835364534916, -1.2358048288442331, -0.7504547111105763]],
              [[3.1840898990631104, 2.2343318462371826, 1.4662394523620605],
               [2.948094606399536, 2.916347026824951, 2.133481025695801],
               [3.0798511505126953, 3.8635592460632324, 3.5874927043914795]]),
        2.0: ([[1398.8662429499805, 1330.5098238048663, 1039.929660538453],
               [1681.408200335195, 1600.8445290841278, 1251.9206899618405],
               [2297.3558020268733, 2189.484844551575, 1713.2227783220856]],
              [[991.555591913948, 601.9077922634292, 897.9152555746666],
               [887.9980337197533, 504.2745120248681, 759.8392686786278],
               [535.6859941710705, 202.9616462391867, 332.3187246547525]],
              [[1398.8665771484375, 1330.5101318359375, 1039.929931640625],
               [1681.4085693359375, 1600.8448486328125, 1251.9208984375],
               [2297.3564453125, 2189.4853515625, 1713.22314453125]]),
        20.0: ([[1.5958589293080964e+36, 1.5194999081386405e+36, 1.1883529312292461e+36],
                [1.9199263270103667e+36, 1.8280612552577266e+36, 1.42966902433924e+36],
                [2.625647072019622e+36, 2.5000145134808847e+36, 1.9551824645056834e+36]],
               [[6.711582750596697e+35, 7.398110719380142e+35, 1.0201716545653253e+36],
                [6.325136905572468e+35, 6.965553679891163e+35, 9.60613120856678e+35],
                [4.765027536183548e+35, 5.228987511685849e+35, 7.213765104548366e+35]],
               [[1.5958554818321198e+36, 1.519496646451472e+36, 1.1883504985424021e+36],
                [1.9199221180515652e+36, 1.8280573805289257e+36, 1.429666012773224e+36],
                [2.6256415881323238e+36, 2.5000094908334548e+36, 1.9551783334577628e+36]])},
 'ST': {(False, False, False): ([[1.25, 0.0, 2.5],
                                 [-0.7583333333333333, 0.05555555555555554, 0.8333333333333334]],
                                [[-0.6916666666666667, 0.0, 0.0],
                                 [0.02777777777777777, -0.01666666666666666, 0.0],
                                 [-0.20833333333333331, -3.458333333333333, 1.1666666666666667]],
                                [[0.25, -0.5],
                                 [1.2833333333333332, 0.29999999999999993],
                                 [-0.6722222222222223, 0.6166666666666668]]),
        (False, False, True): ([[2.83, -0.10000000000000009, 3.0],
                                [-1.4149999999999998, 0.04999999999999999, 1.0]],
                               [[0.0, 0.0, 0.0],
                                [0.10000000000000003, 0.0, 0.0],
                                [-0.5, -6.15, 0.0]],
                               [[0.5, -1.0], [1.85, 0.6], [-0.77, 0.3800000000000001]]),
        (False, True, False): ([[0.5, -1.0],
                                [0.2333333333333333, 0.3666666666666667],
                                [2.711111111111111, 0.27222222222222225]],
                               [[-0.16833333333333336, 0.0, 0.0],
                                [-0.6277777777777778, -0.3577777777777777, 0.0],
                                [1.2083333333333335, -0.20000000000000004, 1.3319444444444444]],
                               [[-0.13666666666666666, -0.2366666666666667],
                                [1.411111111111111, 0.07777777777777775],
                                [-0.5833333333333334, 0.9166666666666667]]),
        (False, True, True): ([[1.0, -2.0], [0.2, 0.85], [3.56, -0.37]],
                              [[0.0, 0.0, 0.0],
                               [-1.9800000000000002, 0.0, 0.0],
                               [2.9000000000000004, -0.795, 0.0]],
                              [[-0.562, -0.364], [2.14, 0.07999999999999996], [-0.7, 1.1]]),
        (True, False, False): ([[0.5, 0.16666666666666666, 2.861111111111111],
                                [-1.0, 0.5, -0.16666666666666669]],
                               [[0.17638888888888896, -0.788888888888889, 1.2083333333333335],
                                [0.0, -0.22592592592592592, -0.36111111111111116],
                                [0.0, 0.0, 1.8217592592592595]],
                               [[-0.4138888888888889, -0.030555555555555503],
                                [1.488888888888889, -0.04444444444444447],
                                [-0.5833333333333334, 0.9166666666666667]]),
        (True, False, True): ([[1.0, 0.0, 4.0], [-2.0, 1.25, -1.5]],
                              [[0.0, -2.56, 2.9000000000000004],
                               [0.0, 0.0, -1.375],
                               [0.0, 0.0, 0.0]],
                              [[-1.3399999999999999, 0.17000000000000015],
                               [2.28, -0.14000000000000007],
                               [-0.7, 1.1]]),
        (True, True, False): ([[1.8333333333333335, -0.5694444444444444],
                               [-0.3333333333333333, -0.05555555555555558],
                               [2.5, 0.8333333333333334]],
                              [[-0.7430555555555556, 0.05555555555555554, -0.20833333333333331],
                               [0.0, 0.437037037037037, -3.4305555555555554],
                               [0.0, 0.0, 1.6643518518518516]],
                              [[0.25, -0.5],
                               [1.25, 0.3666666666666667],
                               [-0.7916666666666666, 0.3777777777777778]]),
        (True, True, True): ([[4.35, -0.925],
                              [-0.7000000000000002, -0.15000000000000002],
                              [3.0, 1.0]],
                             [[0.0, 0.20000000000000007, -0.5],
                              [0.0, 0.0, -6.05],
                              [0.0, 0.0, 0.0]],
                             [[0.5, -1.0], [1.75, 0.8], [-0.9, -0.21999999999999997]])},
 'TS': {(False, False): ([[0.5, -1.0],
                          [0.2333333333333333, 0.3666666666666667],
                          [2.711111111111111, 0.27222222222222225]],
                         [[1.8316666666666666, 0.5, -1.0],
                          [-0.3277777777777778, 1.1422222222222222, 0.4],
                          [0.6083333333333335, -2.7755575615628914e-17, 2.531944444444444]],
                         [[-0.13666666666666666, -0.2366666666666667],
                          [1.411111111111111, 0.07777777777777775],
                          [-0.5833333333333334, 0.9166666666666667]]),
        (False, True): ([[1.25, -0.7583333333333333],
                         [0.0, 0.05555555555555554],
                         [2.5, 0.8333333333333334]],
                        [[1.3083333333333333, 0.5, -1.0],
                         [0.3277777777777778, 1.4833333333333334, 0.4],
                         [-0.8083333333333333, -3.258333333333333, 2.3666666666666667]],
                        [[0.25, -0.5],
                         [1.2833333333333332, 0.29999999999999993],
                         [-0.6722222222222223, 0.6166666666666668]]),
        (True, False): ([[1.8333333333333335, -0.5694444444444444],
                         [-0.3333333333333333, -0.05555555555555558],
                         [2.5, 0.8333333333333334]],
                        [[1.2569444444444444, 0.5555555555555556, -1.2083333333333333],
                         [0.3, 1.9370370370370371, -3.0305555555555554],
                         [-0.6, 0.2, 2.8643518518518514]],
                        [[0.25, -0.5],
                         [1.25, 0.3666666666666667],
                         [-0.7916666666666666, 0.3777777777777778]]),
        (True, True): ([[0.5, -1.0],
                        [0.16666666666666666, 0.5],
                        [2.861111111111111, -0.16666666666666669]],
                       [[2.176388888888889, -0.288888888888889, 0.20833333333333348],
                        [0.3, 1.2740740740740741, 0.03888888888888886],
                        [-0.6, 0.2, 3.0217592592592597]],
                       [[-0.4138888888888889, -0.030555555555555503],
                        [1.488888888888889, -0.04444444444444447],
                        [-0.5833333333333334, 0.9166666666666667]])},
 'UNPACK': ([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]],
            [[0.6, -0.4, 1.8], [1.1, 0.8, -1.0], [0.6, -1.3, 0.4]])}
# forward-mode tangents (A, B with tangents dA, dB below), from torch 2.13
FORWARD = \
{'ci_lower': [[[-0.04899087334247823, -0.19862287943910995, -0.2644581856424326],
               [-0.19862287943910995, -0.13947173296753546, -0.2723785718640451],
               [-0.2644581856424326, -0.2723785718640451, -0.6602467306812987]]],
 'ci_upper': [[[-0.21465750385802485, 0.2539629111207562, -0.23917494212962964],
               [0.2539629111207562, -0.3788128375771605, 0.16650812596450626],
               [-0.23917494212962964, 0.16650812596450626, -0.12174614197530875]]],
 'lu': [[[0.0, 0.0, 0.0], [0.2425, 0.0, 0.0], [0.115, 0.034840251281458345, 0.0]],
        [[0.1, -0.3, 0.20000000000000007],
         [0.0, 0.27525, -0.032999999999999974],
         [0.0, 0.0, 0.6822522835009827]]],
 'lus': [[[-0.861093956984716, -0.2594103501137016],
          [1.4653676351280986, 0.353402450335777],
          [-3.5292136790636506, -0.05053363460015575]]],
 'me': [[[1.4752066324290138, -0.865612236162413, 0.016628989596151056],
         [3.8009596701954984, 3.5196744901507886, 1.2307787321424586],
         [0.39802530458204477, 2.162793152566278, 2.523152238822398]]],
 'ts': [[[-0.2361, -0.058288888888888904],
         [0.28733333333333333, 0.1308148148148148],
         [-0.2466666666666668, -0.19499999999999998]]]}
# fmt: on


def f64(a, rg=False):
    return torch.tensor(a, dtype=torch.float64, requires_grad=rg)


def close(t, want, rtol=1e-12, atol=1e-14):
    got = t._data if hasattr(t, "_data") else np.asarray(t)
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol)


def _numeric(f, a, eps=1e-6):
    """The central-difference gradient of the scalar function f at a."""
    a = np.array(a, dtype=np.float64)
    out = np.zeros_like(a)
    for i in np.ndindex(a.shape):
        hi, lo = a.copy(), a.copy()
        hi[i] += eps
        lo[i] -= eps
        out[i] = (f(hi) - f(lo)) / (2 * eps)
    return out


# ------------------------------------------------------------------ values and gradients


@pytest.mark.parametrize("key", list(REF["ST"]))
def test_solve_triangular_as_torch(key):
    upper, left, unit = key
    a, b = f64(A, True), f64(B, True)
    x = LA["solve_triangular"](a, b if left else b.mT, upper=upper, left=left,
                               unitriangular=unit)
    assert x.grad_fn.name() == "LinalgSolveTriangularBackward0"
    (x * (f64(W) if left else f64(W).mT)).sum().backward()
    want_x, want_ga, want_gb = REF["ST"][key]
    close(x, want_x)
    close(a.grad, want_ga)
    close(b.grad, want_gb)


@pytest.mark.parametrize("key", list(REF["TS"]))
def test_triangular_solve_as_torch(key):
    upper, trans = key
    a, b = f64(A, True), f64(B, True)
    r = LS.triangular_solve(b, a, upper=upper, transpose=trans)
    assert r._fields == ("solution", "cloned_coefficient")
    assert r.solution.grad_fn.name() == r.cloned_coefficient.grad_fn.name() == (
        "TriangularSolveBackward0")
    close(r.cloned_coefficient, A, 0, 0)
    ((r.solution * f64(W)).sum() + (r.cloned_coefficient * f64(A)).sum()).backward()
    want_x, want_ga, want_gb = REF["TS"][key]
    close(r.solution, want_x)
    close(a.grad, want_ga)
    close(b.grad, want_gb)
    # the method, and the solution is linalg.solve_triangular's
    r2 = f64(B).triangular_solve(f64(A), upper, trans)
    other = LA["solve_triangular"](f64(A).mT if trans else f64(A), f64(B),
                                   upper=upper != trans)
    close(r2.solution, other._data)


def test_lu_factor_as_torch():
    a = f64(M, True)
    lu, piv = LA["lu_factor"](a)
    assert lu.grad_fn.name() == "LinalgLuFactorExBackward0"
    assert piv.dtype == torch.int32 and piv.grad_fn is None
    (lu * f64(WM)).sum().backward()
    want_lu, want_piv, want_g = REF["LUF"]
    # LAPACK's getrf: here MKL's LU[2, 1] is the quotient, where getrf's order (the
    # pivot's reciprocal times the column) is 1 ulp away
    close(lu, want_lu, 1e-15, 0)
    assert piv.tolist() == want_piv
    close(a.grad, want_g)
    ex = LA["lu_factor_ex"](f64(M))
    assert ex._fields == ("LU", "pivots", "info")
    assert ex.info.dtype == torch.int32 and ex.info.tolist() == 0
    old = LS.lu(f64(M))  # deprecated: a plain tuple
    assert type(old) is tuple and old[1].tolist() == want_piv
    lu2, piv2, info = f64(M).lu(get_infos=True)
    close(lu2, want_lu, 1e-15, 0)
    assert info.tolist() == 0


@pytest.mark.parametrize("rows", [2, 3])
def test_lu_of_wide_and_tall_matrices_as_torch(rows):
    data = [[1.0, 2.0, 0.5], [3.0, -1.0, 2.0]] if rows == 2 else [[1.0, 2.0], [3.0, -1.0],
                                                                     [0.5, 4.0]]
    want_lu, want_piv, want_gf, want_p, want_l, want_u, want_g = REF["LU_RECT"][rows]
    a = f64(data, True)
    lu, piv = LA["lu_factor"](a)
    (lu * torch.linspace(-1, 1, lu.numel(), dtype=torch.float64).reshape(lu.shape)).sum(
    ).backward()
    close(lu, want_lu)
    assert piv.tolist() == want_piv
    close(a.grad, want_gf)
    a.grad = None
    p, low, up = LA["lu"](a)
    assert p.grad_fn is None and low.grad_fn.name() == up.grad_fn.name() == "LinalgLuBackward0"
    ((low * low).sum() + (up * torch.linspace(0.5, 2, up.numel(), dtype=torch.float64)
                          .reshape(up.shape)).sum()).backward()
    close(p, want_p, 0, 0)
    close(low, want_l)
    close(up, want_u)
    close(a.grad, want_g)


def test_linalg_lu_as_torch():
    a = f64(M, True)
    r = LA["lu"](a)
    assert r._fields == ("P", "L", "U")
    ((r.L * f64(WM)).sum() + (r.U * f64(WM).mT).sum()).backward()
    want_p, want_l, want_u, want_g = REF["LU"]
    close(r.P, want_p, 0, 0)
    close(r.L, want_l)
    close(r.U, want_u)
    close(a.grad, want_g)
    close(r.P @ r.L @ r.U, M, 1e-15, 1e-15)


@pytest.mark.parametrize("key", list(REF["LUS"]))
def test_lu_solve_as_torch(key):
    left, adjoint = key
    want_x, want_glu, want_gb, want_ga = REF["LUS"][key]
    a, b = f64(M, True), f64(B, True)
    lu, piv = LA["lu_factor"](a)
    lul = lu.detach().requires_grad_()
    bb = b if left else b.mT
    w = f64(W) if left else f64(W).mT
    x = LA["lu_solve"](lul, piv, bb, left=left, adjoint=adjoint)
    assert x.grad_fn.name() == "LinalgLuSolveBackward0"
    (x * w).sum().backward()
    close(x, want_x)
    close(lul.grad, want_glu)
    close(b.grad, want_gb)
    x = LA["lu_solve"](lu, piv, bb, left=left, adjoint=adjoint)  # through lu_factor to A
    (x * w).sum().backward()
    close(a.grad, want_ga)
    if left and not adjoint:
        close(LS.lu_solve(bb, lu, piv), want_x)
        close(f64(B).lu_solve(lu.detach(), piv), want_x)


def test_lu_unpack_as_torch():
    lu, piv = LA["lu_factor"](f64(M))
    lud = lu.detach().requires_grad_()
    p, low, up = LS.lu_unpack(lud, piv)
    assert low.grad_fn.name() == up.grad_fn.name() == "LuUnpackBackward0"
    ((low * f64(WM)).sum() + 2 * (up * f64(WM)).sum()).backward()
    want_p, want_g = REF["UNPACK"]
    close(p, want_p, 0, 0)
    close(lud.grad, want_g, 0, 0)
    r = LS.lu_unpack(lud, piv, unpack_data=False)
    assert r.L.shape == (0,) and r.U.shape == (0,)
    close(r.P, want_p, 0, 0)
    assert LS.lu_unpack(lud, piv, unpack_pivots=False).P.shape == (0,)


@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_solve_and_inverse_as_torch(upper):
    want_l, want_x, want_gl, want_gb, want_y, want_gy = REF["CS"][upper]
    low = f64(want_l, True)
    b = f64(B, True)
    x = LS.cholesky_solve(b, low, upper)
    assert x.grad_fn.name() == "CholeskySolveBackward0"
    (x * f64(W)).sum().backward()
    close(x, want_x)
    close(low.grad, want_gl)
    close(b.grad, want_gb)
    low.grad = None
    y = low.cholesky_inverse(upper)
    assert y.grad_fn.name() == "CholeskyInverseBackward0"
    (y * f64(WM)).sum().backward()
    close(y, want_y)
    assert (y._data == y._data.T).all()  # exactly symmetric, as LAPACK's potri
    close(low.grad, want_gy)
    close(f64(B).cholesky_solve(f64(want_l), upper), want_x)


@pytest.mark.parametrize("scale", list(REF["ME"]))
def test_matrix_exp_as_torch_to_the_last_bit(scale):
    want_e, want_g, want_e32 = REF["ME"][scale]
    a = (f64(M) * scale).requires_grad_()
    e = LA["matrix_exp"](a)
    assert e.grad_fn.name() == "LinalgMatrixExpBackward0"
    close(e, want_e, 0, 0)  # torch's Taylor degree for the norm, its products in order
    (e * f64(WM)).sum().backward()
    close(a.grad, want_g, 1e-13, 1e-15)
    e32 = LS.matrix_exp((f64(M) * scale).float())
    assert e32.dtype == torch.float32
    close(e32, np.array(want_e32, np.float32), 0, 0)
    close(a.detach().matrix_exp(), want_e, 0, 0)


def test_matrix_exp_small_cases():
    close(LA["matrix_exp"](f64([[2.0]])), [[np.exp(2.0)]], 0, 0)
    assert LA["matrix_exp"](torch.zeros(2, 0, 0)).shape == (2, 0, 0)
    z = torch.zeros(3, 3, dtype=torch.float64)
    close(LA["matrix_exp"](z), np.eye(3), 0, 0)


# --------------------------------------------------------- second derivatives (create_graph)


def _second(build, data, weights, mask=None):
    """d/dx of sum(w * d/dx sum(build(x) ** 2)) by autograd twice, and by differences of
    the first derivative (autograd once); where ``mask`` is given, on its entries only (a
    triangular factor: the op reads one triangle, torch's formula differentiates all)."""
    w = np.asarray(weights)

    def first(arr, graph):
        x = f64(arr, True)
        g, = functional.grad((build(x) ** 2).sum(), [x], create_graph=graph)
        return x, g

    x, g = first(data, True)
    assert g.requires_grad
    gg, = functional.grad((g * f64(w)).sum(), [x])
    numeric = _numeric(lambda arr: float((first(arr, False)[1]._data * w).sum()), data)
    keep = np.ones(np.shape(data), bool) if mask is None else mask
    np.testing.assert_allclose(gg._data[keep], numeric[keep], rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("upper,left", [(True, True), (False, True), (True, False),
                                        (False, False)])
def test_solve_triangular_second_derivative(upper, left):
    _second(lambda a: LA["solve_triangular"](a, f64(B) if left else f64(B).mT, upper=upper,
                                             left=left), A, WM)
    _second(lambda b: LA["solve_triangular"](f64(A), b, upper=upper, left=left),
            B if left else np.array(B).T.tolist(), W if left else np.array(W).T)


def test_triangular_solve_second_derivative():
    _second(lambda a: LS.triangular_solve(f64(B), a, False, True).solution, A, WM)


def test_matrix_exp_second_derivative():
    _second(lambda a: LA["matrix_exp"](a * 0.5), M, WM)
    _second(lambda a: LA["matrix_exp"](a * 1e-3), M, WM)


@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_solve_and_inverse_second_derivative(upper):
    low = REF["CS"][upper][0]
    tri = np.triu(np.ones((3, 3), bool)) if upper else np.tril(np.ones((3, 3), bool))
    _second(lambda t: LS.cholesky_solve(f64(B), t, upper), low, WM, tri)
    _second(lambda b: LS.cholesky_solve(b, f64(low), upper), B, W)
    _second(lambda t: LS.cholesky_inverse(t, upper), low, WM, tri)


@pytest.mark.parametrize("left,adjoint", [(True, False), (True, True), (False, False),
                                          (False, True)])
def test_lu_solve_second_derivative_through_lu_factor(left, adjoint):
    def build(a):
        lu, piv = LA["lu_factor"](a)
        return LA["lu_solve"](lu, piv, f64(B) if left else f64(B).mT, left=left,
                              adjoint=adjoint)

    _second(build, M, WM)


@pytest.mark.parametrize("data", [M, [[1.0, 2.0, 0.5], [3.0, -1.0, 2.0]],
                                  [[1.0, 2.0], [3.0, -1.0], [0.5, 4.0]]])
def test_lu_factor_and_lu_second_derivative(data):
    w = np.linspace(-1, 1, np.size(data)).reshape(np.shape(data))
    _second(lambda a: LA["lu_factor"](a)[0], data, w)
    _second(lambda a: LA["lu"](a)[1] * 1.5, data, w)
    _second(lambda a: LA["lu"](a)[2] * 1.5, data, w)


def test_first_derivatives_against_finite_differences():
    def check(fn, data):
        x = f64(data, True)
        fn(x).backward()
        np.testing.assert_allclose(
            x.grad._data, _numeric(lambda arr: float(fn(f64(arr))._data), data), rtol=1e-6,
            atol=1e-8)

    wb, wm = f64(W), f64(WM)
    check(lambda a: (LA["solve_triangular"](a, f64(B), upper=True, unitriangular=True) * wb)
          .sum(), A)
    check(lambda a: (LA["lu_factor"](a)[0] * wm).sum(), M)
    check(lambda t: (LS.lu_unpack(t, torch.tensor([2, 3, 3], dtype=torch.int32))[1] * wm)
          .sum(), M)
    check(lambda a: (LA["matrix_exp"](a) * wm).sum(), M)
    check(lambda a: (LA["matrix_exp"](a * 3.0) * wm).sum(), M)


# ------------------------------------------------------------------------------- batches


def test_batched_solves_broadcast_and_match_one_matrix_at_a_time():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(2, 1, 3, 3)) + 3 * np.eye(3)
    b = rng.normal(size=(4, 3, 2))
    x = LA["solve_triangular"](f64(a), f64(b), upper=False)
    assert x.shape == (2, 4, 3, 2)
    for i in range(2):
        for j in range(4):
            one = LA["solve_triangular"](f64(a[i, 0]), f64(b[j]), upper=False)
            close(x[i, j], one._data, 0, 0)
    ts = LS.triangular_solve(f64(b), f64(a))
    assert ts.solution.shape == (2, 4, 3, 2) and ts.cloned_coefficient.shape == (2, 4, 3, 3)
    lu, piv = LA["lu_factor"](f64(a[:, 0]))
    assert lu.shape == (2, 3, 3) and piv.shape == (2, 3)
    for i in range(2):
        one_lu, one_piv = LA["lu_factor"](f64(a[i, 0]))
        close(lu[i], one_lu._data, 0, 0)
        assert piv[i].tolist() == one_piv.tolist()
    xs = LA["lu_solve"](lu, piv, f64(b).unsqueeze(1))
    assert xs.shape == (4, 2, 3, 2)
    np.testing.assert_allclose(np.einsum("bij,abjk->abik", a[:, 0], xs._data),
                               np.broadcast_to(b[:, None], (4, 2, 3, 2)), atol=1e-12)
    spd = np.einsum("bij,bkj->bik", a[:, 0], a[:, 0])
    low = np.linalg.cholesky(spd)
    xc = LS.cholesky_solve(f64(b).unsqueeze(1), f64(low))
    np.testing.assert_allclose(np.einsum("bij,abjk->abik", spd, xc._data),
                               np.broadcast_to(b[:, None], (4, 2, 3, 2)), atol=1e-12)
    inv = LS.cholesky_inverse(f64(low))
    np.testing.assert_allclose(inv._data, np.linalg.inv(spd), atol=1e-12)


def test_batched_matrix_exp_takes_each_matrix_s_own_degree():
    scales = [1e-9, 0.01, 0.2, 5.0]
    batch = f64(np.stack([np.array(M) * s for s in scales]), True)
    e = LA["matrix_exp"](batch)
    for i, s in enumerate(scales):
        close(e[i], LA["matrix_exp"](f64(M) * s)._data, 0, 0)
    (e * f64(np.ones((4, 3, 3)))).sum().backward()
    assert batch.grad.shape == (4, 3, 3)


def test_empty_matrices():
    assert LA["lu_factor"](torch.zeros(0, 0))[1].shape == (0,)
    p, low, up = LA["lu"](torch.zeros(2, 0))
    close(p, np.eye(2), 0, 0)
    assert low.shape == (2, 0) and up.shape == (0, 0)
    assert LA["solve_triangular"](torch.eye(3), torch.ones(3, 0), upper=False).shape == (3, 0)
    assert LS.cholesky_inverse(torch.zeros(0, 0)).shape == (0, 0)
    assert LS.cholesky_solve(torch.zeros(0, 2), torch.zeros(0, 0)).shape == (0, 2)


def test_singular_input_gives_info_instead_of_raising():
    ex = LA["lu_factor_ex"](f64([[[1.0, 0.0], [0.0, 1.0]], [[0.0, 0.0], [0.0, 0.0]]]))
    assert ex.info.tolist() == [0, 1]
    ex = LA["lu_factor_ex"](f64([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]]))
    assert ex.info.tolist() == 3 and ex.pivots.tolist() == [2, 3, 3]
    p, low, up = LA["lu"](torch.zeros(3, 3))
    close(low, np.eye(3), 0, 0)
    r = LS.lu(torch.zeros(3, 3), get_infos=True)
    assert r.info.tolist() == 1


# ---------------------------------------------------------------------------- forward AD

FA = [[2.0, 0.7, -0.4], [0.3, 1.5, 0.9], [-0.6, 0.2, 1.2]]
FB = [[1.0, 0.5], [-2.0, 1.0], [0.3, 0.2]]
DA = [[0.1, -0.3, 0.2], [0.5, 0.4, -0.1], [0.2, 0.3, 0.6]]
DB = [[0.3, -0.1], [0.2, 0.5], [-0.4, 0.1]]
FORWARD_CALLS = {
    # torch's own JVPs where they are not the backward's transpose: triangular_solve's
    # takes all of dA, cholesky_inverse's reads dL against the whole L
    "ts": lambda a, b: LS.triangular_solve(b, a, False, True).solution,
    "ci_lower": lambda a, b: LS.cholesky_inverse(a),
    "ci_upper": lambda a, b: LS.cholesky_inverse(a, True),
    "lu": lambda a, b: LA["lu"](a)[1:],
    "lus": lambda a, b: LA["lu_solve"](*LA["lu_factor"](a), b, adjoint=True),
    "me": lambda a, b: LA["matrix_exp"](a),
}


@pytest.mark.parametrize("name", list(FORWARD))
def test_forward_mode_tangents_as_torch(name):
    with fwAD.dual_level():
        out = FORWARD_CALLS[name](fwAD.make_dual(f64(FA), f64(DA)),
                                  fwAD.make_dual(f64(FB), f64(DB)))
        outs = out if isinstance(out, tuple | list) else (out,)
        got = [fwAD.unpack_dual(o).tangent for o in outs]
    assert len(got) == len(FORWARD[name])
    for t, want in zip(got, FORWARD[name]):
        close(t, want)


# -------------------------------------------------------------------------------- errors

ERRORS = [
    (lambda: LA["solve_triangular"](torch.eye(3), torch.ones(3, 2)), "TypeError",
     'linalg_solve_triangular() missing 1 required positional arguments: "upper"'),
    (lambda: LA["solve_triangular"](torch.eye(3), torch.ones(3), upper=True), "RuntimeError",
     "linalg.solve_triangular: The input tensor B must have at least 2 dimensions."),
    (lambda: LA["solve_triangular"](torch.ones(3, 2), torch.ones(3, 2), upper=True),
     "RuntimeError", "linalg.solve_triangular: A must be batches of square matrices, but they "
     "are 3 by 2 matrices"),
    (lambda: LA["solve_triangular"](torch.eye(3), torch.ones(4, 2), upper=True),
     "RuntimeError", "linalg.solve_triangular: Incompatible shapes of A and B for the equation "
     "AX = B (3x3 and 4x2)"),
    (lambda: LA["solve_triangular"](torch.eye(3), torch.ones(3, 2), upper=True, left=False),
     "RuntimeError", "linalg.solve_triangular: Incompatible shapes of A and B for the equation "
     "XA = B (3x3 and 3x2)"),
    (lambda: LA["solve_triangular"](torch.eye(3, dtype=torch.int64),
                                    torch.ones(3, 1, dtype=torch.int64), upper=True),
     "NotImplementedError", "\"triangular_solve_cpu\" not implemented for 'Long'"),
    (lambda: LA["solve_triangular"](torch.ones(2, 3, 3), torch.ones(4, 3, 2), upper=True),
     "RuntimeError", "The size of tensor a (4) must match the size of tensor b (2) at "
     "non-singleton dimension 0"),
    (lambda: LS.triangular_solve(torch.ones(3), torch.eye(3)), "RuntimeError",
     "torch.triangular_solve: Expected b to have at least 2 dimensions, but it has 1 "
     "dimensions instead"),
    (lambda: LS.triangular_solve(torch.ones(4, 2), torch.eye(3)), "RuntimeError",
     "Incompatible matrix sizes for triangular_solve: each A matrix is 3 by 3 but each b "
     "matrix is 4 by 2"),
    (lambda: LS.triangular_solve(torch.ones(3, 2, dtype=torch.float64), torch.eye(3)),
     "RuntimeError", "Expected b and A to have the same dtype, but found b of type Double and "
     "A of type Float instead."),
    (lambda: LA["lu_factor"](torch.ones(3)), "RuntimeError",
     "torch.lu_factor: Expected tensor with 2 or more dimensions. Got size: [3] instead"),
    (lambda: LA["lu_factor"](torch.zeros(3, 3)), "RuntimeError",
     "torch.linalg.lu_factor: U[1,1] is zero and using it on lu_solve would result in a "
     "division by zero. If you still want to perform the factorization, consider calling "
     "linalg.lu(A, pivot) or linalg.lu_factor_ex(A, pivot)"),
    (lambda: LA["lu_factor"](torch.stack([torch.eye(3), torch.zeros(3, 3)])), "RuntimeError",
     "torch.linalg.lu_factor: (Batch element 1): U[1,1] is zero and using it on lu_solve "
     "would result in a division by zero. If you still want to perform the factorization, "
     "consider calling linalg.lu(A, pivot) or linalg.lu_factor_ex(A, pivot)"),
    (lambda: LA["lu_factor_ex"](torch.zeros(3, 3), check_errors=True), "RuntimeError",
     "torch.linalg.lu_factor_ex: U[1,1] is zero and using it on lu_solve would result in a "
     "division by zero. If you still want to perform the factorization, consider calling "
     "linalg.lu(A, pivot) or linalg.lu_factor_ex(A, pivot)"),
    (lambda: LA["lu_factor"](torch.eye(3, dtype=torch.int64)), "NotImplementedError",
     "\"lu_cpu\" not implemented for 'Long'"),
    (lambda: LA["lu_factor"](torch.eye(3), pivot=False), "RuntimeError",
     "linalg.lu_factor: LU without pivoting is not implemented on the CPU"),
    (lambda: LA["lu"](torch.ones(3)), "RuntimeError",
     "linalg.lu: Expected tensor with 2 or more dimensions. Got size: [3] instead"),
    (lambda: LA["lu_solve"](torch.eye(3), torch.tensor([1, 2, 3], dtype=torch.int32),
                            torch.ones(4, 2)), "RuntimeError",
     "linalg.lu_solve: Incompatible shapes of A and B for the equation AX = B (3x3 and 4x2)"),
    (lambda: LA["lu_solve"](torch.eye(3), torch.tensor([1, 2, 3]), torch.ones(3, 2)),
     "RuntimeError", "linalg.lu_solve: pivots should be a Tensor of scalar type torch.int32"),
    (lambda: LA["lu_solve"](torch.eye(3), torch.tensor([1, 2], dtype=torch.int32),
                            torch.ones(3, 2)), "RuntimeError",
     "linalg.lu_solve: Number of pivots per batch should be same as the dimension of the "
     "matrix"),
    (lambda: LA["lu_solve"](torch.eye(3), torch.tensor([5, 1, 1], dtype=torch.int32),
                            torch.ones(3, 2)), "RuntimeError",
     "Pivots given to lu_solve must all be smaller or equal to LU.size(-2). Did you properly "
     "pass the result of lu_factor?"),
    (lambda: LA["lu_solve"](torch.eye(3), torch.tensor([0, 2, 3], dtype=torch.int32),
                            torch.ones(3, 2)), "RuntimeError",
     "Pivots given to lu_solve must all be greater or equal to 1. Did you properly pass the "
     "result of lu_factor?"),
    (lambda: LA["lu_solve"](torch.eye(3), torch.tensor([1, 2, 3], dtype=torch.int32),
                            torch.ones(3, 2, dtype=torch.float64)), "RuntimeError",
     "linalg.lu_solve: Expected LU and B to have the same dtype, but found LU of type Float "
     "and B of type Double instead"),
    (lambda: LA["lu_solve"](torch.ones(2, 3, 3), torch.tensor([1, 2, 3], dtype=torch.int32),
                            torch.ones(3, 2)), "RuntimeError",
     "linalg.lu_solve: Expected LU.shape[:-1] and pivots.shape to be the same, but got pivots "
     "with shape [3] instead"),
    (lambda: LS.lu_unpack(torch.eye(3), torch.tensor([1, 2, 3])), "RuntimeError",
     "torch.lu_unpack: LU_pivots is expected to be a contiguous tensor of torch.int32 dtype."),
    (lambda: LS.lu_unpack(torch.eye(3), torch.tensor([0, 1, 1], dtype=torch.int32)),
     "RuntimeError", "pivots passed to lu_unpack must be between 1 and LU.size(-2) inclusive."
     "Did you properly pass the result of lu_factor?"),
    (lambda: LS.cholesky_solve(torch.ones(3), torch.eye(3)), "RuntimeError",
     "b should have at least 2 dimensions, but has 1 dimensions instead"),
    (lambda: LS.cholesky_solve(torch.ones(3, 2), torch.ones(3)), "RuntimeError",
     "u should have at least 2 dimensions, but has 1 dimensions instead"),
    (lambda: LS.cholesky_solve(torch.ones(4, 2), torch.eye(3)), "RuntimeError",
     "Incompatible matrix sizes for cholesky_solve: each A matrix is 3 by 3 but each b matrix "
     "is 4 by 2"),
    (lambda: LS.cholesky_solve(torch.ones(3, 2), torch.ones(3, 2)), "RuntimeError",
     "A must be batches of square matrices, but they are 3 by 2 matrices"),
    (lambda: LS.cholesky_inverse(torch.zeros(3, 3)), "torch._C._LinAlgError",
     "cholesky_inverse: The diagonal element 1 is zero, the inversion could not be completed "
     "because the input matrix is singular."),
    (lambda: LS.cholesky_inverse(torch.stack([torch.eye(2), torch.zeros(2, 2)])),
     "torch._C._LinAlgError", "cholesky_inverse: (Batch element 1): The diagonal element 1 is "
     "zero, the "
     "inversion could not be completed because the input matrix is singular."),
    (lambda: LS.cholesky_inverse(torch.ones(3, 2)), "RuntimeError",
     "cholesky_inverse: A must be batches of square matrices, but they are 3 by 2 matrices"),
    (lambda: LA["matrix_exp"](torch.ones(3)), "RuntimeError",
     "linalg.matrix_exp: The input tensor A must have at least 2 dimensions."),
    (lambda: LS.matrix_exp(torch.ones(3, 2)), "RuntimeError",
     "linalg.matrix_exp: A must be batches of square matrices, but they are 3 by 2 matrices"),
    (lambda: LA["matrix_exp"](torch.eye(3, dtype=torch.int64)), "RuntimeError",
     "linalg.matrix_exp: Expected a floating point or complex tensor as input. Got Long"),
    (lambda: LS.triangular_solve(torch.ones(3, 2), torch.eye(3), 1), "TypeError",
     "triangular_solve(): argument 'upper' (position 3) must be bool, not int"),
    (lambda: LS.cholesky_solve(torch.ones(3, 2), torch.eye(3), 1), "TypeError",
     "cholesky_solve(): argument 'upper' (position 3) must be bool, not int"),
    (lambda: LA["lu_solve"](torch.eye(2, dtype=torch.float16),
                            torch.tensor([1, 2], dtype=torch.int32),
                            torch.ones(2, 1, dtype=torch.float16)), "NotImplementedError",
     "\"linalg.lu_solve_cpu\" not implemented for 'Half'"),
]


@pytest.mark.parametrize("call,kind,message", ERRORS, ids=[str(i) for i in range(len(ERRORS))])
def test_errors_in_torch_s_words(call, kind, message):
    with pytest.raises(AdcliError) as info:
        call()
    assert info.value.kind == kind
    assert str(info.value) == message


def test_singular_triangular_solve_gives_inf_and_nan_as_torch():
    x = LS.triangular_solve(f64(B), torch.zeros(3, 3, dtype=torch.float64)).solution
    assert np.isinf(x._data[2]).all() and np.isnan(x._data[:2]).all()
