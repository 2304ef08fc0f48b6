"""Goldens for F::pad: output and the gradient of loss = sum(out * g) w.r.t. the input, from
PyTorch 1.13 in float64. tests/nn/pad_test.cpp repeats the CASES table. Small shapes only."""
import torch
import torch.nn.functional as F

FAMILY = "nn_pad"

# name -> (input shape, pad, mode, value)
CASES = {
    "const_2d": ((2, 3, 4), (1, 2, 0, 1), "constant", 1.5),
    "const_crop": ((2, 3, 4), (1, -2, -1, 1, 1, 0), "constant", 0.0),
    "const_4dims": ((2, 2, 2, 3), (1, 0, 0, 1, 2, 0, 0, 1), "constant", -1.0),
    "reflect_1d": ((2, 3, 5), (2, 3), "reflect", 0.0),
    "reflect_1d_unbatched": ((3, 5), (1, 2), "reflect", 0.0),
    "reflect_2d": ((1, 2, 4, 5), (1, 2, 3, 1), "reflect", 0.0),
    "reflect_2d_unbatched": ((2, 4, 3), (2, 1, 0, 3), "reflect", 0.0),
    "reflect_3d": ((1, 1, 3, 4, 3), (1, 1, 2, 0, 1, 2), "reflect", 0.0),
    "replicate_1d": ((2, 2, 3), (3, 1), "replicate", 0.0),
    "replicate_2d": ((1, 2, 3, 4), (2, 1, 0, 3), "replicate", 0.0),
    "replicate_3d_unbatched": ((2, 2, 3, 2), (1, 2, 1, 0, 2, 1), "replicate", 0.0),
    "circular_1d": ((2, 2, 4), (2, 3), "circular", 0.0),
    "circular_2d": ((1, 2, 3, 4), (1, 2, 3, 0), "circular", 0.0),
    "circular_3d": ((1, 1, 2, 3, 3), (1, 1, 2, 1, 1, 0), "circular", 0.0),
    "reflect_negative": ((1, 2, 6), (-1, 2), "reflect", 0.0),
}


def cases():
    c = {}
    torch.manual_seed(0)
    for name, (shape, pad, mode, value) in CASES.items():
        x = torch.randn(*shape, dtype=torch.float64, requires_grad=True)
        out = F.pad(x, pad, mode=mode, value=value) if mode == "constant" else F.pad(x, pad, mode=mode)
        g = torch.randn(out.shape, dtype=torch.float64)
        (out * g).sum().backward()
        c.update({name + "_x": x, name + "_g": g, name + "_out": out, name + "_gx": x.grad})
    return c
