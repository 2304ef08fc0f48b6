"""Goldens for the margin and embedding losses (margin_ranking, hinge_embedding,
cosine_embedding, soft_margin, multilabel_soft_margin, multi_margin, multilabel_margin,
triplet_margin with and without a distance function), every reduction; format as nn_loss.py."""
import torch
import torch.nn.functional as F

from goldens.nn_loss import randn, run_cases

FAMILY = "nn_loss_margin"
f64 = torch.float64


def build():
    a, b = randn(5), randn(5)
    sign = torch.tensor([1.0, -1, 1, -1, 1], dtype=f64)
    h = randn(3, 4) * 1.5
    hy = torch.tensor([[1.0, -1, -1, 1], [-1, 1, -1, 1], [1, 1, -1, -1]], dtype=f64)
    e1, e2 = randn(4, 3), randn(4, 3)
    ey = torch.tensor([1.0, -1, -1, 1], dtype=f64)
    ml, mly = randn(3, 5), (torch.rand(3, 5) > 0.5).double()
    mw = torch.rand(5, dtype=f64) + 0.5
    mm, mmy = randn(4, 5), torch.tensor([0, 3, 4, 1])
    mm1, mm1y = randn(5), torch.tensor(2)
    lm, lmy = randn(3, 5), torch.tensor([[3, 0, -1, 1, 2], [1, 2, 3, 4, 0], [-1, 2, 0, 0, 0]])
    lm1, lm1y = randn(4), torch.tensor([2, 1, -1, 0])
    an, po, ne = randn(4, 3), randn(4, 3), randn(4, 3)
    c = {}
    for r in ["none", "mean", "sum"]:
        c["rank_" + r] = (lambda x1, x2, y, r=r: F.margin_ranking_loss(x1, x2, y, margin=0.3, reduction=r),
                          [a, b, sign], [0, 1])
        c["hinge_" + r] = (lambda x, y, r=r: F.hinge_embedding_loss(x, y, margin=1.2, reduction=r), [h, hy])
        c["cos_" + r] = (lambda x1, x2, y, r=r: F.cosine_embedding_loss(x1, x2, y, margin=-0.2, reduction=r),
                         [e1, e2, ey], [0, 1])
        c["soft_" + r] = (lambda x, y, r=r: F.soft_margin_loss(x, y, reduction=r), [h, hy])
        c["mlsoft_" + r] = (lambda x, y, w, r=r: F.multilabel_soft_margin_loss(x, y, w, reduction=r),
                            [ml, mly, mw], [0, 1])
        c["mm_" + r] = (lambda x, y, r=r: F.multi_margin_loss(x, y, reduction=r), [mm, mmy])
        c["mm_p2_w_" + r] = (lambda x, y, w, r=r: F.multi_margin_loss(x, y, p=2, margin=0.7, weight=w, reduction=r),
                             [mm, mmy, mw])
        c["mm_1d_" + r] = (lambda x, y, r=r: F.multi_margin_loss(x, y, reduction=r), [mm1, mm1y])
        c["mlm_" + r] = (lambda x, y, r=r: F.multilabel_margin_loss(x, y, reduction=r), [lm, lmy])
        c["mlm_1d_" + r] = (lambda x, y, r=r: F.multilabel_margin_loss(x, y, reduction=r), [lm1, lm1y])
        c["trip_" + r] = (lambda x, y, z, r=r: F.triplet_margin_loss(x, y, z, margin=1.5, reduction=r),
                          [an, po, ne], [0, 1, 2])
        c["trip_p1_swap_" + r] = (
            lambda x, y, z, r=r: F.triplet_margin_loss(x, y, z, margin=2.0, p=1, swap=True, reduction=r),
            [an, po, ne], [0, 1, 2])
        c["tripd_" + r] = (
            lambda x, y, z, r=r: F.triplet_margin_with_distance_loss(
                x, y, z, distance_function=lambda u, v: 1 - F.cosine_similarity(u, v), margin=0.8, swap=True,
                reduction=r),
            [an, po, ne], [0, 1, 2])
        c["tripd_default_" + r] = (
            lambda x, y, z, r=r: F.triplet_margin_with_distance_loss(x, y, z, margin=1.5, reduction=r),
            [an, po, ne], [0, 1, 2])
    return c


def cases():
    torch.manual_seed(2)
    return run_cases(build())
