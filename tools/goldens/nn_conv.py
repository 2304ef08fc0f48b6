"""Goldens for F::conv1d/2d/3d: output and the gradients of loss = sum(out * g) w.r.t. input,
weight and bias, from PyTorch 1.13 in float64. Each case's options are repeated in
tests/nn/conv_test.cpp (the CASES table there must match this one). Small shapes only."""
import torch
import torch.nn.functional as F

FAMILY = "nn_conv"

# name -> (function, input shape, weight shape, bias?, kwargs)
CASES = {
    "c2_basic": (F.conv2d, (2, 3, 5, 4), (4, 3, 3, 2), True, {}),
    "c2_strided": (F.conv2d, (1, 3, 7, 6), (3, 3, 3, 3), True,
                   dict(stride=(2, 1), padding=(1, 2), dilation=(1, 2))),
    "c2_groups": (F.conv2d, (2, 4, 5, 4), (6, 2, 3, 3), True, dict(stride=2, padding=1, groups=2)),
    "c2_depthwise": (F.conv2d, (2, 4, 4, 5), (8, 1, 3, 3), False, dict(padding=1, groups=4)),
    "c2_same_even": (F.conv2d, (1, 3, 5, 6), (2, 3, 4, 2), True, dict(padding="same", dilation=(1, 2))),
    "c2_valid": (F.conv2d, (1, 2, 4, 5), (3, 2, 2, 3), True, dict(padding="valid")),
    "c2_unbatched": (F.conv2d, (3, 5, 5), (2, 3, 3, 3), True, dict(padding=1)),
    "c2_pointwise": (F.conv2d, (2, 5, 3, 4), (3, 5, 1, 1), True, {}),
    "c2_pointwise_strided": (F.conv2d, (1, 5, 5, 4), (3, 5, 1, 1), False, dict(stride=2)),
    "c1_basic": (F.conv1d, (2, 3, 9), (4, 3, 3), True, dict(stride=2, padding=1, dilation=2)),
    "c1_same": (F.conv1d, (3, 8), (2, 3, 4), True, dict(padding="same")),
    "c3_basic": (F.conv3d, (1, 2, 4, 4, 3), (3, 2, 2, 3, 2), True, dict(stride=(1, 2, 1), padding=1)),
    "c3_groups": (F.conv3d, (1, 4, 3, 3, 4), (4, 2, 3, 1, 2), False, dict(groups=2, dilation=(1, 1, 2))),
}


def run_cases(table, bias_size):
    """Output and grads for each case; bias_size(weight_shape, kwargs) -> bias length."""
    c = {}
    torch.manual_seed(0)
    for name, (f, xs, ws, has_bias, kw) in table.items():
        x = torch.randn(*xs, dtype=torch.float64, requires_grad=True)
        w = torch.randn(*ws, dtype=torch.float64, requires_grad=True)
        b = torch.randn(bias_size(ws, kw), dtype=torch.float64, requires_grad=True) if has_bias else None
        out = f(x, w, b, **kw)
        g = torch.randn(out.shape, dtype=torch.float64)
        (out * g).sum().backward()
        c.update({name + "_x": x, name + "_w": w, name + "_g": g, name + "_out": out,
                  name + "_gx": x.grad, name + "_gw": w.grad})
        if has_bias:
            c.update({name + "_b": b, name + "_gb": b.grad})
    return c


def cases():
    return run_cases(CASES, lambda ws, kw: ws[0])
