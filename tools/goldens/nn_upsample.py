"""Goldens for nn::functional::interpolate (nearest, nearest-exact, linear, bilinear, bicubic,
trilinear, area; size or scale_factor; align_corners; recompute_scale_factor) and pixel_shuffle /
pixel_unshuffle: forward output and the input gradient of loss = sum(out * G), from PyTorch 1.13,
computed in float64 and in float32 (nearest indices are computed in float32 by PyTorch whatever
the dtype; linear weights in the input's precision). float32 results are stored for nearest only."""
import torch
import torch.nn.functional as F

FAMILY = "nn_upsample"

# name -> (input shape, f). Keys match tests/nn/upsample_test.cpp.
CASES = {
    "nearest2d_x2": ((1, 2, 3, 4), lambda x: F.interpolate(x, scale_factor=2)),
    "nearest2d_size": ((2, 2, 5, 4), lambda x: F.interpolate(x, size=(7, 3))),
    "nearest2d_scale_frac": ((1, 2, 5, 6), lambda x: F.interpolate(x, scale_factor=(1.7, 0.6))),
    "nearest2d_recompute": ((1, 2, 5, 6), lambda x: F.interpolate(x, scale_factor=(1.7, 0.6), recompute_scale_factor=True)),
    "nearest_exact2d": ((1, 2, 5, 4), lambda x: F.interpolate(x, size=(8, 7), mode="nearest-exact")),
    "nearest1d": ((2, 3, 5), lambda x: F.interpolate(x, size=9)),
    "nearest3d": ((1, 2, 2, 3, 2), lambda x: F.interpolate(x, scale_factor=(2, 1.5, 2))),
    "linear": ((2, 3, 5), lambda x: F.interpolate(x, size=8, mode="linear")),
    "linear_ac": ((2, 3, 5), lambda x: F.interpolate(x, size=8, mode="linear", align_corners=True)),
    "linear_down": ((2, 2, 9), lambda x: F.interpolate(x, scale_factor=0.45, mode="linear")),
    "bilinear": ((2, 2, 4, 5), lambda x: F.interpolate(x, size=(7, 8), mode="bilinear")),
    "bilinear_ac": ((1, 2, 4, 5), lambda x: F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=True)),
    "bilinear_scale": ((1, 2, 4, 5), lambda x: F.interpolate(x, scale_factor=(1.5, 2.3), mode="bilinear")),
    "bilinear_down": ((1, 2, 7, 9), lambda x: F.interpolate(x, size=(3, 4), mode="bilinear")),
    "bicubic": ((1, 2, 4, 5), lambda x: F.interpolate(x, size=(7, 9), mode="bicubic")),
    "bicubic_ac": ((2, 1, 4, 4), lambda x: F.interpolate(x, scale_factor=2, mode="bicubic", align_corners=True)),
    "bicubic_down": ((1, 2, 8, 7), lambda x: F.interpolate(x, size=(5, 3), mode="bicubic")),
    "trilinear": ((1, 2, 3, 4, 3), lambda x: F.interpolate(x, size=(5, 6, 4), mode="trilinear")),
    "trilinear_ac": ((1, 1, 3, 3, 4), lambda x: F.interpolate(x, scale_factor=2, mode="trilinear", align_corners=True)),
    "pixel_shuffle": ((2, 8, 3, 2), lambda x: F.pixel_shuffle(x, 2)),
    "pixel_shuffle_5d": ((2, 1, 9, 2, 3), lambda x: F.pixel_shuffle(x, 3)),
    "pixel_unshuffle": ((2, 2, 4, 6), lambda x: F.pixel_unshuffle(x, 2)),
    "area2d": ((1, 2, 7, 5), lambda x: F.interpolate(x, size=(3, 2), mode="area")),
    "area1d": ((2, 2, 9), lambda x: F.interpolate(x, scale_factor=0.5, mode="area")),
}


def cases():
    c = {}
    for i, (name, (shape, f)) in enumerate(CASES.items()):
        x = torch.randn(shape, dtype=torch.float64, generator=torch.Generator().manual_seed(100 + i))
        c[name + "_x"] = x
        for tag, dt in (("64", torch.float64), ("32", torch.float32)):
            xd = x.to(dt).clone().requires_grad_()
            out = f(xd)
            if tag == "64":
                g = torch.randn(out.shape, dtype=torch.float64, generator=torch.Generator().manual_seed(500 + i))
                c[name + "_g"] = g
            (out * g.to(dt)).sum().backward()
            # float32 results differ from float64 ones beyond rounding only where indices are
            # computed in float32 (nearest); elsewhere the test checks float32 against float64.
            if tag == "64" or name.startswith("nearest"):
                c[name + "_out" + tag], c[name + "_gx" + tag] = out.detach(), xd.grad
    return c
