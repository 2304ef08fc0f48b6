"""Goldens for nn::functional pooling (max/avg/adaptive/unpool/lp, 1d to 3d): forward output, the
max indices, and the input gradient of loss = sum(out * G), from PyTorch 1.13 in float64 (the C++
test checks float64 to 1e-10 and float32 to 1e-5). Inputs are distinct values (no ties, so the
argmax does not depend on rounding) on small shapes."""
import torch
import torch.nn.functional as F

FAMILY = "nn_pool"

# name -> (input shape, f). Keys match tests/nn/pool_test.cpp.
CASES = {
    "max2d_k3s2p1": ((2, 3, 7, 6), lambda x: F.max_pool2d(x, 3, 2, 1)),
    "max2d_k2": ((1, 2, 6, 5), lambda x: F.max_pool2d(x, 2)),
    "max2d_ceil_dil": ((2, 2, 9, 8), lambda x: F.max_pool2d(x, (3, 2), (2, 3), (1, 1), dilation=(2, 1), ceil_mode=True)),
    "max2d_unbatched": ((3, 5, 5), lambda x: F.max_pool2d(x, 2, 1)),
    "avg2d_k2": ((2, 3, 6, 6), lambda x: F.avg_pool2d(x, 2)),
    "avg2d_k2_odd": ((2, 2, 7, 5), lambda x: F.avg_pool2d(x, 2)),
    "avg2d_k2_divisor": ((1, 2, 4, 6), lambda x: F.avg_pool2d(x, 2, divisor_override=3)),
    "avg2d_pad": ((2, 2, 7, 5), lambda x: F.avg_pool2d(x, 3, 2, 1)),
    "avg2d_pad_excl_ceil": ((2, 2, 7, 5), lambda x: F.avg_pool2d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False)),
    "avg2d_ceil_incl": ((1, 2, 6, 6), lambda x: F.avg_pool2d(x, (3, 2), (2, 2), (1, 1), ceil_mode=True)),
    "avg2d_divisor": ((1, 2, 5, 5), lambda x: F.avg_pool2d(x, 2, 1, divisor_override=3)),
    "adaptive_avg2d": ((2, 3, 7, 5), lambda x: F.adaptive_avg_pool2d(x, (3, 2))),
    "adaptive_avg2d_1": ((2, 3, 5, 4), lambda x: F.adaptive_avg_pool2d(x, 1)),
    "adaptive_avg2d_none": ((2, 2, 5, 4), lambda x: F.adaptive_avg_pool2d(x, (None, 3))),
    "adaptive_avg2d_up": ((1, 2, 3, 2), lambda x: F.adaptive_avg_pool2d(x, (5, 4))),
    "max1d": ((2, 3, 11), lambda x: F.max_pool1d(x, 3, 2, 1, dilation=2, ceil_mode=True)),
    "max3d": ((1, 2, 5, 6, 4), lambda x: F.max_pool3d(x, (2, 3, 2), (2, 2, 1), (1, 1, 0))),
    "avg1d": ((2, 3, 10), lambda x: F.avg_pool1d(x, 4, 3, 2, ceil_mode=True, count_include_pad=False)),
    "avg3d": ((1, 2, 5, 4, 6), lambda x: F.avg_pool3d(x, 3, 2, 1)),
    "avg3d_div": ((1, 1, 4, 4, 4), lambda x: F.avg_pool3d(x, 2, divisor_override=5)),
    "adaptive_avg1d": ((2, 3, 10), lambda x: F.adaptive_avg_pool1d(x, 4)),
    "adaptive_avg3d": ((1, 2, 5, 4, 7), lambda x: F.adaptive_avg_pool3d(x, (2, 3, 3))),
    "adaptive_max1d": ((2, 3, 10), lambda x: F.adaptive_max_pool1d(x, 4, True)),
    "adaptive_max2d": ((2, 2, 7, 5), lambda x: F.adaptive_max_pool2d(x, (3, 2), True)),
    "adaptive_max3d": ((1, 2, 5, 4, 7), lambda x: F.adaptive_max_pool3d(x, (2, 3, 3), True)),
    "lp2d": ((2, 2, 6, 5), lambda x: F.lp_pool2d(x.abs() + 0.5, 2.0, (2, 3), 2)),
    "lp1d": ((2, 3, 9), lambda x: F.lp_pool1d(x.abs() + 0.5, 3.0, 3)),
    "lp2d_p1": ((1, 2, 4, 4), lambda x: F.lp_pool2d(x.abs() + 0.5, 1.0, 2)),
    # Unit strides (GoogLeNet's 3x3 branch pooling; the CPU kernel pads the plane once).
    "max2d_k3s1p1": ((2, 3, 7, 6), lambda x: F.max_pool2d(x, 3, 1, 1)),
    "max2d_s1_dil": ((2, 2, 9, 8), lambda x: F.max_pool2d(x, (3, 2), 1, (1, 1), dilation=(2, 3))),
}

# Max pooling cases whose indices are stored too (key + "_idx").
WITH_INDICES = {
    "max2d_k3s2p1": lambda x: F.max_pool2d(x, 3, 2, 1, return_indices=True),
    "max2d_ceil_dil": lambda x: F.max_pool2d(x, (3, 2), (2, 3), (1, 1), dilation=(2, 1), ceil_mode=True, return_indices=True),
    "max1d": lambda x: F.max_pool1d(x, 3, 2, 1, dilation=2, ceil_mode=True, return_indices=True),
    "max3d": lambda x: F.max_pool3d(x, (2, 3, 2), (2, 2, 1), (1, 1, 0), return_indices=True),
    "adaptive_max1d": lambda x: F.adaptive_max_pool1d(x, 4, True),
    "adaptive_max2d": lambda x: F.adaptive_max_pool2d(x, (3, 2), True),
    "adaptive_max3d": lambda x: F.adaptive_max_pool3d(x, (2, 3, 3), True),
    "max2d_k3s1p1": lambda x: F.max_pool2d(x, 3, 1, 1, return_indices=True),
    "max2d_s1_dil": lambda x: F.max_pool2d(x, (3, 2), 1, (1, 1), dilation=(2, 3), return_indices=True),
}


def distinct(shape, seed):
    """A random permutation of 0..n-1, scaled and shifted: no ties, mixed signs."""
    g = torch.Generator().manual_seed(seed)
    n = 1
    for s in shape:
        n *= s
    return (torch.randperm(n, generator=g).double() * 0.37 - n * 0.15).reshape(shape)


def cases():
    c = {}
    for i, (name, (shape, f)) in enumerate(CASES.items()):
        x = distinct(shape, 100 + i).requires_grad_()
        out = f(x)
        if isinstance(out, tuple):
            out = out[0]
        g = torch.randn(out.shape, dtype=torch.float64, generator=torch.Generator().manual_seed(500 + i))
        (out * g).sum().backward()
        c[name + "_x"], c[name + "_g"], c[name + "_out"], c[name + "_gx"] = x.detach(), g, out.detach(), x.grad
        if name in WITH_INDICES:
            c[name + "_idx"] = WITH_INDICES[name](x.detach())[1]

    # Ties, as after a ReLU (most of the input is 0): which of the equal cells the indices name.
    t = distinct((2, 3, 7, 8), 950).clamp(min=0.0)
    for key, f in (("max2d_ties_k3s2p1", lambda x: F.max_pool2d(x, 3, 2, 1, return_indices=True)),
                   ("max2d_ties_k2", lambda x: F.max_pool2d(x, 2, return_indices=True)),
                   ("max2d_ties_k3s1p1", lambda x: F.max_pool2d(x, 3, 1, 1, return_indices=True))):
        v, idx = f(t)
        c[key + "_x"], c[key + "_out"], c[key + "_idx"] = t, v, idx

    # NaN and -inf at unit stride: the last NaN of a window wins, a window of -inf (and padding)
    # names its first cell inside the input.
    s1 = distinct((1, 2, 5, 6), 960)
    s1[0, 0, 1, 2] = s1[0, 0, 3, 4] = float("nan")
    s1[0, 1, :3, :] = float("-inf")
    v, idx = F.max_pool2d(s1, 3, 1, 1, return_indices=True)
    c["max2d_special_k3s1p1_x"], c["max2d_special_k3s1p1_out"], c["max2d_special_k3s1p1_idx"] = s1, v, idx

    # max_unpool: the inverse of a max_pool with indices (default and explicit output sizes).
    x = distinct((2, 2, 6, 8), 900)
    v, idx = F.max_pool2d(x, 2, return_indices=True)
    v.requires_grad_()
    for key, size in (("unpool2d", None), ("unpool2d_size", [7, 9])):
        out = F.max_unpool2d(v, idx, 2, output_size=size)
        g = torch.randn(out.shape, dtype=torch.float64, generator=torch.Generator().manual_seed(901))
        v.grad = None
        (out * g).sum().backward()
        c[key + "_v"], c[key + "_idx"], c[key + "_g"], c[key + "_out"], c[key + "_gv"] = v.detach(), idx, g, out.detach(), v.grad
    x1 = distinct((2, 3, 9), 902)
    v1, i1 = F.max_pool1d(x1, 3, 2, return_indices=True)
    c["unpool1d_v"], c["unpool1d_idx"], c["unpool1d_out"] = v1, i1, F.max_unpool1d(v1, i1, 3, 2)
    x3 = distinct((1, 2, 4, 4, 6), 903)
    v3, i3 = F.max_pool3d(x3, 2, return_indices=True)
    c["unpool3d_v"], c["unpool3d_idx"], c["unpool3d_out"] = v3, i3, F.max_unpool3d(v3, i3, 2)
    return c
