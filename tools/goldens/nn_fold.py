"""Goldens for nn::functional::unfold / fold and nn::Unfold / nn::Fold: forward output and the
input gradient of loss = sum(out * G), from PyTorch 1.13 in float64 (the C++ test checks float64 to
1e-10 and float32 to 1e-5), on small shapes with overlapping, strided, dilated and padded blocks."""
import torch
import torch.nn.functional as F

FAMILY = "nn_fold"

# name -> (input shape, f). Keys match tests/nn/fold_test.cpp.
CASES = {
    "unfold_k2": ((2, 3, 4, 5), lambda x: F.unfold(x, 2)),
    "unfold_all": ((2, 2, 7, 6), lambda x: F.unfold(x, (3, 2), dilation=(2, 1), padding=(1, 2), stride=(2, 3))),
    "unfold_unbatched": ((3, 5, 4), lambda x: F.unfold(x, (2, 3), padding=1)),
    "unfold_stride": ((1, 2, 6, 6), lambda x: F.unfold(x, 2, stride=2)),
    "fold_k2": ((2, 12, 12), lambda x: F.fold(x, (4, 5), 2)),
    "fold_all": ((2, 12, 9), lambda x: F.fold(x, (7, 6), (3, 2), dilation=(2, 1), padding=(1, 2), stride=(2, 3))),
    "fold_unbatched": ((18, 24), lambda x: F.fold(x, (5, 4), (2, 3), padding=1)),
    "fold_stride": ((1, 8, 9), lambda x: F.fold(x, 6, 2, stride=2)),
}


def cases():
    c = {}
    for i, (name, (shape, f)) in enumerate(CASES.items()):
        g = torch.Generator().manual_seed(100 + i)
        x = torch.randn(shape, dtype=torch.float64, generator=g).requires_grad_()
        out = f(x)
        gout = torch.randn(out.shape, dtype=torch.float64, generator=g)
        (out * gout).sum().backward()
        c[name + "_x"], c[name + "_g"], c[name + "_out"], c[name + "_gx"] = x.detach(), gout, out.detach(), x.grad
    return c
