"""Goldens for the regression and probabilistic losses (l1, mse, smooth_l1, huber, BCE with and
without logits, kl_div, poisson_nll, gaussian_nll), every reduction; format as nn_loss.py."""
import torch
import torch.nn.functional as F

from goldens.nn_loss import randn, run_cases

FAMILY = "nn_loss_regression"
f64 = torch.float64


def build():
    x, t = randn(3, 4), randn(3, 4)
    x[0, :2] = t[0, :2] + torch.tensor([0.5, -1.5], dtype=f64)  # both sides of beta/delta = 1
    p = torch.rand(3, 4, dtype=f64) * 0.9 + 0.05
    y = torch.rand(3, 4, dtype=f64)
    y[0, 0], y[1, 1] = 0.0, 1.0
    w = torch.rand(3, 4, dtype=f64) + 0.5
    w4, pw = torch.rand(4, dtype=f64) + 0.5, torch.rand(4, dtype=f64) * 3
    z = randn(3, 4) * 4  # logits
    lp = torch.log_softmax(randn(3, 4), 1)
    q = torch.softmax(randn(3, 4), 1)
    q0 = q.clone()
    q0[1, 2] = 0.0
    lq = torch.log_softmax(randn(3, 4), 1)
    counts = torch.tensor([[0.0, 1, 2, 5], [3, 0, 1, 7], [2, 2, 0, 4]], dtype=f64)
    rate = torch.rand(3, 4, dtype=f64) * 3 + 0.1
    var, var_row = torch.rand(3, 4, dtype=f64) + 0.1, torch.rand(3, dtype=f64) + 0.1
    var_small = var.clone()
    var_small[0, 0] = 1e-8  # clamped to eps
    c = {}
    for r in ["none", "mean", "sum"]:
        c["l1_" + r] = (lambda a, b, r=r: F.l1_loss(a, b, reduction=r), [x, t], [0, 1])
        c["l1_bcast_" + r] = (lambda a, b, r=r: F.l1_loss(a, b, reduction=r), [x, t[0]], [0, 1])
        c["mse_" + r] = (lambda a, b, r=r: F.mse_loss(a, b, reduction=r), [x, t], [0, 1])
        c["smooth_l1_" + r] = (lambda a, b, r=r: F.smooth_l1_loss(a, b, reduction=r), [x, t], [0, 1])
        c["smooth_l1_b_" + r] = (lambda a, b, r=r: F.smooth_l1_loss(a, b, reduction=r, beta=0.7), [x, t], [0, 1])
        c["smooth_l1_b0_" + r] = (lambda a, b, r=r: F.smooth_l1_loss(a, b, reduction=r, beta=0.0), [x, t], [0, 1])
        c["huber_" + r] = (lambda a, b, r=r: F.huber_loss(a, b, reduction=r), [x, t], [0, 1])
        c["huber_d_" + r] = (lambda a, b, r=r: F.huber_loss(a, b, reduction=r, delta=1.8), [x, t], [0, 1])
        c["bce_" + r] = (lambda a, b, r=r: F.binary_cross_entropy(a, b, reduction=r), [p, y], [0, 1])
        c["bce_w_" + r] = (lambda a, b, ww, r=r: F.binary_cross_entropy(a, b, ww, reduction=r), [p, y, w], [0, 1])
        c["bcel_" + r] = (lambda a, b, r=r: F.binary_cross_entropy_with_logits(a, b, reduction=r), [z, y], [0, 1])
        c["bcel_w_pw_" + r] = (
            lambda a, b, ww, pp, r=r: F.binary_cross_entropy_with_logits(a, b, ww, reduction=r, pos_weight=pp),
            [z, y, w4, pw], [0, 1])
        c["kl_" + r] = (lambda a, b, r=r: F.kl_div(a, b, reduction=r), [lp, q], [0, 1])
        c["kl_zero_" + r] = (lambda a, b, r=r: F.kl_div(a, b, reduction=r), [lp, q0], [0])
        c["kl_log_" + r] = (lambda a, b, r=r: F.kl_div(a, b, reduction=r, log_target=True), [lp, lq], [0, 1])
        c["poisson_" + r] = (lambda a, b, r=r: F.poisson_nll_loss(a, b, reduction=r), [x, counts], [0])
        c["poisson_full_" + r] = (
            lambda a, b, r=r: F.poisson_nll_loss(a, b, log_input=False, full=True, reduction=r), [rate, counts], [0])
        c["gauss_" + r] = (lambda a, b, v, r=r: F.gaussian_nll_loss(a, b, v, reduction=r), [x, t, var], [0, 1, 2])
        c["gauss_row_full_" + r] = (lambda a, b, v, r=r: F.gaussian_nll_loss(a, b, v, full=True, reduction=r),
                                    [x, t, var_row], [0, 1, 2])
        c["gauss_eps_" + r] = (lambda a, b, v, r=r: F.gaussian_nll_loss(a, b, v, eps=1e-3, reduction=r),
                               [x, t, var_small], [0, 2])
    c["kl_batchmean"] = (lambda a, b: F.kl_div(a, b, reduction="batchmean"), [lp, q], [0, 1])
    c["bce_edge"] = (lambda a, b: F.binary_cross_entropy(a, b, reduction="none"),
                     [torch.tensor([0.0, 1.0, 1e-50, 0.5], dtype=f64), torch.tensor([1.0, 0.0, 1.0, 0.5], dtype=f64)], [])
    c["bcel_big"] = (lambda a, b: F.binary_cross_entropy_with_logits(a, b, reduction="none"),
                     [torch.tensor([-200.0, 200.0, 0.0, 30.0], dtype=f64), torch.tensor([1.0, 0.0, 0.3, 1.0], dtype=f64)],
                     [0])
    return c


def cases():
    torch.manual_seed(1)
    return run_cases(build())
