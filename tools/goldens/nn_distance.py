"""Goldens for cosine_similarity and pairwise_distance from PyTorch 1.13 in float64: outputs and
the gradients of loss = sum(out * G) for both inputs, with broadcasting and several p."""
import torch
import torch.nn.functional as F

FAMILY = "nn_distance"
D = torch.float64


def run(c, prefix, f, a, b):
    ar, br = a.clone().requires_grad_(), b.clone().requires_grad_()
    out = f(ar, br)
    g = torch.randn(out.shape, dtype=D)
    (out * g).sum().backward()
    c[prefix + "_G"], c[prefix + "_out"], c[prefix + "_ga"], c[prefix + "_gb"] = g, out, ar.grad, br.grad


def cases():
    c = {}
    torch.manual_seed(0)
    a, b = torch.randn(4, 5, dtype=D), torch.randn(4, 5, dtype=D)
    b3 = torch.randn(1, 5, dtype=D)
    c.update({"a": a, "b": b, "b3": b3})
    run(c, "cos", lambda x, y: F.cosine_similarity(x, y), a, b)
    run(c, "cos0", lambda x, y: F.cosine_similarity(x, y, dim=0), a, b)
    run(c, "cos_bcast", lambda x, y: F.cosine_similarity(x, y, dim=-1), a, b3)
    run(c, "pd", lambda x, y: F.pairwise_distance(x, y), a, b)
    run(c, "pd1", lambda x, y: F.pairwise_distance(x, y, p=1.0), a, b)
    run(c, "pd3k", lambda x, y: F.pairwise_distance(x, y, p=3.0, keepdim=True), a, b)
    run(c, "pd_bcast", lambda x, y: F.pairwise_distance(x, y, eps=1e-3), a, b3)
    return c
