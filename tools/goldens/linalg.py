"""Goldens for matmul (every rank combination), mm, mv, bmm, addmm, dot and outer."""
import torch

FAMILY = "linalg"

# matmul shape pairs: (key, shape of a, shape of b).
MATMUL_SHAPES = [
    ("1x1", (3,), (3,)),
    ("2x1", (2, 3), (3,)),
    ("1x2", (3,), (3, 2)),
    ("2x2", (2, 3), (3, 2)),
    ("3x1", (2, 2, 3), (3,)),
    ("1x3", (3,), (2, 3, 2)),
    ("3x2", (2, 2, 3), (3, 2)),
    ("2x3", (2, 3), (2, 3, 2)),
    ("3x3", (2, 2, 3), (2, 3, 2)),
    ("3x3b", (2, 2, 3), (1, 3, 2)),
    ("4x3", (2, 1, 2, 3), (3, 3, 2)),
    ("1x4", (3,), (2, 1, 3, 2)),
]


def r(*shape):
    return torch.randn(*shape, dtype=torch.float64)


def cases():
    c = {}
    for key, sa, sb in MATMUL_SHAPES:
        a, b = r(*sa), r(*sb)
        c["matmul_%s_a" % key], c["matmul_%s_b" % key] = a, b
        c["matmul_%s_out" % key] = torch.matmul(a, b)
    # mm with gradients of sum(out * w): dA = w @ b^T, dB = a^T @ w.
    a, b, w = r(2, 3).requires_grad_(), r(3, 4).requires_grad_(), r(2, 4)
    out = torch.mm(a, b)
    (out * w).sum().backward()
    c.update(mm_a=a, mm_b=b, mm_w=w, mm_out=out, mm_ga=a.grad, mm_gb=b.grad)
    # A transposed (non-contiguous) left operand: stored as (3, 2), used as .t().
    at = r(3, 2)
    c.update(mmt_at=at, mmt_out=torch.mm(at.t(), b))
    x, v = r(3, 4), r(4)
    c.update(mv_x=x, mv_v=v, mv_out=torch.mv(x, v))
    p, q = r(2, 2, 3), r(2, 3, 2)
    c.update(bmm_a=p, bmm_b=q, bmm_out=torch.bmm(p, q))
    i, m1, m2 = r(4), r(2, 3), r(3, 4)
    c.update(addmm_in=i, addmm_m1=m1, addmm_m2=m2, addmm_out=torch.addmm(i, m1, m2, beta=0.5, alpha=2.0))
    d1, d2 = r(5), r(5)
    c.update(dot_a=d1, dot_b=d2, dot_out=torch.dot(d1, d2))
    o1, o2 = r(3), r(2)
    c.update(outer_a=o1, outer_b=o2, outer_out=torch.outer(o1, o2))
    return c
