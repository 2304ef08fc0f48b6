"""Goldens for data::transforms Resize and Normalize. torchvision is not installed: its tensor Resize
(antialias=False) is torch.nn.functional.interpolate(align_corners=False), with uint8 images
converted to float32, interpolated, rounded (half to even) and cast back, as torchvision does."""
import torch
import torch.nn.functional as F

FAMILY = "data_transforms"


def resize(img, size, mode):
    x = img[None]
    if img.dtype == torch.uint8:
        x = x.float()
    kw = {} if mode == "nearest" else {"align_corners": False}
    y = F.interpolate(x, size=size, mode=mode, **kw)[0]
    if img.dtype == torch.uint8:
        y = y.round().to(torch.uint8)
    return y


def cases():
    g = torch.Generator().manual_seed(0)
    out = {}
    u8 = torch.randint(0, 256, (2, 7, 5), generator=g, dtype=torch.uint8)
    f32 = torch.rand(2, 6, 9, generator=g)
    f64 = torch.rand(1, 5, 4, generator=g, dtype=torch.float64)
    mnist = torch.randint(0, 256, (1, 28, 28), generator=g, dtype=torch.uint8)
    out["u8"] = u8
    out["f32"] = f32
    out["f64"] = f64
    out["mnist"] = mnist
    for mode in ("bilinear", "nearest"):
        out["u8_%s_13x11" % mode] = resize(u8, (13, 11), mode)
        out["u8_%s_3x4" % mode] = resize(u8, (3, 4), mode)
        out["f32_%s_10x15" % mode] = resize(f32, (10, 15), mode)  # Resize(10): short edge 6 -> 10
        out["f32_%s_4x5" % mode] = resize(f32, (4, 5), mode)
        out["f64_%s_11x8" % mode] = resize(f64, (11, 8), mode)
        out["mnist_%s_96" % mode] = resize(mnist, (96, 96), mode)
    out["f32_normalized"] = (f32 - torch.tensor([0.5, 0.2]).view(2, 1, 1)) / torch.tensor([0.25, 0.3]).view(2, 1, 1)
    # ToTensor then Resize: the float path, unrounded (a 10x10 corner keeps the file small).
    out["mnist_corner_float_bilinear_36"] = resize(mnist[:, :10, :10].float() / 255, (36, 36), "bilinear")
    return out
