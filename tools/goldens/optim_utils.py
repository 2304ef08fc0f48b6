"""Goldens for wick::nn::utils: clip_grad_norm_ (norm types 2, 1, 3, inf; clipping and not) and
clip_grad_value_ on three float64 gradients, from PyTorch 1.13 (total norms and clipped gradients)."""
import torch
from torch.nn.utils import clip_grad_norm_, clip_grad_value_

FAMILY = "optim_utils"

NORMS = {"2": 2.0, "1": 1.0, "3": 3.0, "inf": float("inf")}


def grads():
    g = torch.Generator().manual_seed(1)
    return [torch.randn(3, 4, generator=g, dtype=torch.float64),
            torch.randn(5, generator=g, dtype=torch.float64) * 3,
            torch.randn(2, 2, 2, generator=g, dtype=torch.float64)]


def params(gs):
    ps = [torch.zeros_like(g, requires_grad=True) for g in gs]
    for p, g in zip(ps, gs):
        p.grad = g.clone()
    return ps


def cases():
    gs = grads()
    c = {"g%d" % i: g for i, g in enumerate(gs)}
    for name, nt in NORMS.items():
        for max_norm in (1.5, 1000.0):
            ps = params(gs)
            key = "%s_%g" % (name, max_norm)
            c["total_" + key] = clip_grad_norm_(ps, max_norm, norm_type=nt)
            for i, p in enumerate(ps):
                c["clipped_%s_%d" % (key, i)] = p.grad
    ps = params(gs)
    clip_grad_value_(ps, 0.3)
    for i, p in enumerate(ps):
        c["value_%d" % i] = p.grad
    return c
