"""Goldens for layer_norm / batch_norm (functional and modules) from PyTorch 1.13 in float64:
outputs and the gradients of loss = sum(out * G) for input, weight and bias; batch norm running
stats after several training steps, then eval output and gradients. Small shapes only."""
import torch
import torch.nn as nn
import torch.nn.functional as F

FAMILY = "nn_norm"
D = torch.float64


def grads(f, inputs, g):
    xs = [t.detach().clone().requires_grad_() for t in inputs]
    out = f(*xs)
    (out * g).sum().backward()
    return out, [x.grad for x in xs]


def put(c, prefix, out, gs, names):
    c[prefix + "_out"] = out
    for n, gv in zip(names, gs):
        c[prefix + "_g" + n] = gv


def bn_module(c, prefix, m, shapes, steps):
    """Trains `m` for `steps` batches (keys <prefix>_x<k>, _G<k>, _out<k>, _gx<k>, _gw<k>, _gb<k>),
    then stores the buffers and an eval pass on batch 0."""
    m = m.double()
    if m.affine:
        with torch.no_grad():
            m.weight.copy_(torch.randn_like(m.weight))
            m.bias.copy_(torch.randn_like(m.bias))
        c[prefix + "_w"], c[prefix + "_b"] = m.weight.detach().clone(), m.bias.detach().clone()
    xs = [torch.randn(*shapes, dtype=D) * 2 + 0.5 for _ in range(steps)]
    for k, x in enumerate(xs):
        G = torch.randn(*shapes, dtype=D)
        c["%s_x%d" % (prefix, k)], c["%s_G%d" % (prefix, k)] = x, G
        xr = x.clone().requires_grad_()
        if m.affine:
            m.weight.grad, m.bias.grad = None, None
        out = m(xr)
        (out * G).sum().backward()
        c["%s_out%d" % (prefix, k)], c["%s_gx%d" % (prefix, k)] = out, xr.grad
        if m.affine:
            c["%s_gw%d" % (prefix, k)] = m.weight.grad.clone()
            c["%s_gb%d" % (prefix, k)] = m.bias.grad.clone()
    if m.track_running_stats:
        c[prefix + "_rm"], c[prefix + "_rv"] = m.running_mean, m.running_var
        c[prefix + "_nbt"] = m.num_batches_tracked
        m.eval()
        if m.affine:
            m.weight.grad, m.bias.grad = None, None
        xr = xs[0].clone().requires_grad_()
        out = m(xr)
        (out * c[prefix + "_G0"]).sum().backward()
        c[prefix + "_eval_out"], c[prefix + "_eval_gx"] = out, xr.grad
        if m.affine:
            c[prefix + "_eval_gw"] = m.weight.grad


def cases():
    c = {}
    torch.manual_seed(0)
    # layer_norm over the last dim with weight and bias; over the last two without; weight only.
    x = torch.randn(2, 3, 4, dtype=D) * 3 + 1
    w, b = torch.randn(4, dtype=D), torch.randn(4, dtype=D)
    G = torch.randn(2, 3, 4, dtype=D)
    c.update({"ln_x": x, "ln_w": w, "ln_b": b, "ln_G": G})
    out, gs = grads(lambda x, w, b: F.layer_norm(x, (4,), w, b), [x, w, b], G)
    put(c, "ln1", out, gs, ["x", "w", "b"])
    out, gs = grads(lambda x: F.layer_norm(x, (3, 4), eps=1e-3), [x], G)
    put(c, "ln2", out, gs, ["x"])
    w2 = torch.randn(3, 4, dtype=D)
    c["ln3_w"] = w2
    out, gs = grads(lambda x, w: F.layer_norm(x, (3, 4), w), [x, w2], G)
    put(c, "ln3", out, gs, ["x", "w"])

    # functional batch_norm in training with running stats (updated in place) and in eval.
    xb = torch.randn(4, 3, 2, dtype=D) + 1
    wb, bb = torch.randn(3, dtype=D), torch.randn(3, dtype=D)
    Gb = torch.randn(4, 3, 2, dtype=D)
    c.update({"fbn_x": xb, "fbn_w": wb, "fbn_b": bb, "fbn_G": Gb})
    rm, rv = torch.zeros(3, dtype=D), torch.ones(3, dtype=D)
    out, gs = grads(lambda x, w, b: F.batch_norm(x, rm, rv, w, b, True, 0.3, 1e-4), [xb, wb, bb], Gb)
    put(c, "fbn_train", out, gs, ["x", "w", "b"])
    c["fbn_rm"], c["fbn_rv"] = rm.clone(), rv.clone()
    out, gs = grads(lambda x, w, b: F.batch_norm(x, rm, rv, w, b, False), [xb, wb, bb], Gb)
    put(c, "fbn_eval", out, gs, ["x", "w", "b"])

    bn_module(c, "bn2", nn.BatchNorm2d(3), (2, 3, 3, 3), 3)
    bn_module(c, "bn1cma", nn.BatchNorm1d(3, momentum=None), (4, 3, 5), 3)
    bn_module(c, "bn1free", nn.BatchNorm1d(3, affine=False, track_running_stats=False), (5, 3), 1)
    bn_module(c, "bn3", nn.BatchNorm3d(2, eps=1e-3, momentum=0.2), (2, 2, 2, 2, 3), 2)
    return c
