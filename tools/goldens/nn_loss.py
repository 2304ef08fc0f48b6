"""Goldens for F::cross_entropy and F::nll_loss (run_cases is shared by the other nn_loss_*
families): for each case its inputs, the output, and the gradients of
sum(out * G) with respect to the floating inputs that take a gradient, from PyTorch 1.13 in
float64 (the C++ test, tests/nn/loss_test.cpp, runs the same cases by name). Small shapes."""
import torch
import torch.nn.functional as F

FAMILY = "nn_loss"

f64 = torch.float64


def randn(*s):
    return torch.randn(*s, dtype=f64)


def probs(*s):
    return torch.softmax(randn(*s) * 2, dim=1 if len(s) > 1 else 0)


def build():
    """name -> (fn, inputs[, which inputs take a gradient, default [0]])."""
    x2, t2 = randn(4, 5) * 2, torch.tensor([1, 0, 4, 2])
    t2i = torch.tensor([1, 2, 4, 2])  # two targets equal to ignore_index=2
    x4, t4 = randn(2, 3, 2, 2), torch.tensor([[[0, 2], [1, 1]], [[2, 0], [0, 1]]])
    x3, t3 = randn(2, 4, 3), torch.tensor([[0, 3, 1], [2, 2, 0]])
    x1, t1 = randn(5), torch.tensor(3)
    w5, w3 = torch.rand(5, dtype=f64) + 0.2, torch.rand(3, dtype=f64) + 0.2
    p2, p4 = probs(4, 5), probs(2, 3, 2, 2)
    c = {}
    for red in ["none", "mean", "sum"]:
        c["ce_%s" % red] = (lambda x, t, r=red: F.cross_entropy(x, t, reduction=r), [x2, t2])
        c["ce_w_%s" % red] = (lambda x, t, w, r=red: F.cross_entropy(x, t, w, reduction=r), [x2, t2, w5])
        c["ce_ign_w_%s" % red] = (lambda x, t, w, r=red: F.cross_entropy(x, t, w, ignore_index=2, reduction=r),
                                  [x2, t2i, w5])
        c["ce_4d_%s" % red] = (lambda x, t, w, r=red: F.cross_entropy(x, t, w, reduction=r), [x4, t4, w3])
        c["ce_3d_%s" % red] = (lambda x, t, r=red: F.cross_entropy(x, t, reduction=r), [x3, t3])
        c["ce_1d_%s" % red] = (lambda x, t, r=red: F.cross_entropy(x, t, reduction=r), [x1, t1])
        c["ce_ls_%s" % red] = (lambda x, t, r=red: F.cross_entropy(x, t, reduction=r, label_smoothing=0.2),
                               [x2, t2i])
        c["ce_ls_ign_w_%s" % red] = (
            lambda x, t, w, r=red: F.cross_entropy(x, t, w, ignore_index=2, reduction=r, label_smoothing=0.3),
            [x2, t2i, w5])
        c["ce_ls_4d_%s" % red] = (lambda x, t, r=red: F.cross_entropy(x, t, reduction=r, label_smoothing=0.1),
                                  [x4, t4])
        c["ce_prob_%s" % red] = (lambda x, p, r=red: F.cross_entropy(x, p, reduction=r), [x2, p2], [0, 1])
        c["ce_prob_w_ls_%s" % red] = (
            lambda x, p, w, r=red: F.cross_entropy(x, p, w, reduction=r, label_smoothing=0.25), [x2, p2, w5], [0, 1])
        c["ce_prob_4d_%s" % red] = (lambda x, p, w, r=red: F.cross_entropy(x, p, w, reduction=r), [x4, p4, w3], [0, 1])
        c["nll_w_%s" % red] = (lambda x, t, w, r=red: F.nll_loss(x, t, w, reduction=r), [x2, t2, w5])
        c["nll_4d_%s" % red] = (lambda x, t, r=red: F.nll_loss(x, t, ignore_index=1, reduction=r), [x4, t4])
    return c


def run_cases(built):
    """Inputs, G, output and gradients of every case of `built` (see build())."""
    out = {}
    for name, case in built.items():
        fn, inputs = case[0], case[1]
        diff = case[2] if len(case) > 2 else [0]  # which inputs take a gradient
        xs = [t.clone().requires_grad_() if i in diff else t for i, t in enumerate(inputs)]
        for i, t in enumerate(inputs):
            out["%s_in%d" % (name, i)] = t
        y = fn(*xs)
        g = torch.randn(y.shape, dtype=f64) if y.dim() else torch.tensor(1.7, dtype=f64)
        if diff:
            (y * g).sum().backward()
        out[name + "_g"] = g
        out[name + "_out"] = y
        for i, t in enumerate(xs):
            if i in diff:
                out["%s_gx%d" % (name, i)] = t.grad
    return out


def cases():
    torch.manual_seed(0)
    return run_cases(build())
