"""Goldens for F::conv_transpose1d/2d/3d: output and the gradients of loss = sum(out * g) w.r.t.
input, weight and bias, from PyTorch 1.13 in float64. tests/nn/conv_transpose_test.cpp repeats
the CASES table. Small shapes only."""
import torch
import torch.nn.functional as F

from goldens.nn_conv import run_cases

FAMILY = "nn_conv_transpose"

# name -> (function, input shape, weight shape (in, out/groups, *k), bias?, kwargs)
CASES = {
    "t2_basic": (F.conv_transpose2d, (2, 3, 4, 3), (3, 2, 3, 2), True, {}),
    "t2_strided": (F.conv_transpose2d, (1, 2, 3, 4), (2, 3, 3, 3), True,
                   dict(stride=(2, 3), padding=(1, 0), output_padding=(1, 2), dilation=(1, 1))),
    "t2_groups": (F.conv_transpose2d, (2, 4, 3, 3), (4, 2, 2, 3), False,
                  dict(stride=2, padding=1, groups=2, dilation=2, output_padding=1)),
    "t2_unbatched": (F.conv_transpose2d, (2, 3, 3), (2, 2, 3, 3), True, dict(padding=1)),
    "t1_basic": (F.conv_transpose1d, (2, 3, 5), (3, 2, 4), True, dict(stride=3, padding=2, output_padding=1)),
    "t3_basic": (F.conv_transpose3d, (1, 2, 2, 3, 2), (2, 2, 2, 2, 3), True, dict(stride=(2, 1, 2), padding=(0, 1, 1))),
}


def cases():
    return run_cases(CASES, lambda ws, kw: ws[1] * kw.get("groups", 1))
