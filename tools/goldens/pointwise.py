"""Goldens for the elementwise ops of wick/ops/pointwise.h: values (with broadcasting and special
values), gradients at kinks and ties that gradcheck cannot probe, and torch.result_type tables."""
import torch

FAMILY = "pointwise"

DTYPES = [torch.bool, torch.uint8, torch.int32, torch.int64, torch.float16, torch.bfloat16,
          torch.float32, torch.float64]
INF, NAN = float("inf"), float("nan")


def sample(dtype, dim):
    shape = (2,) if dim else ()
    return torch.ones(shape, dtype=dtype)


def result_type_tables(c):
    # rt_tt[i, j, k]: result_type of dtypes i and j for (dim, dim), (dim, 0-dim), (0-dim, dim).
    tt = torch.zeros(8, 8, 3, dtype=torch.int64)
    ts = torch.zeros(8, 2, 3, dtype=torch.int64)
    for i, da in enumerate(DTYPES):
        for j, db in enumerate(DTYPES):
            for k, (x, y) in enumerate([(1, 1), (1, 0), (0, 1)]):
                tt[i, j, k] = DTYPES.index(torch.result_type(sample(da, x), sample(db, y)))
        # rt_ts[i, d, s]: a tensor of dtype i (d=0 dimensioned, d=1 0-dim) with the number True, 2, 2.5.
        for d in range(2):
            for s, num in enumerate([True, 2, 2.5]):
                ts[i, d, s] = DTYPES.index(torch.result_type(sample(da, d == 0), num))
    c["rt_tt"], c["rt_ts"] = tt, ts


def cases():
    c = {}
    torch.manual_seed(0)
    a = torch.randn(2, 3)
    b = torch.randn(3)
    e = torch.randn(2, 1)
    pos = torch.rand(2, 3) + 0.1
    sp = torch.tensor([0.0, -0.0, 1.0, -1.0, INF, -INF, NAN, 0.5, -2.5, 100.0, -100.0, 1e-8])
    ints = torch.tensor([-3, -1, 0, 1, 2, 5])
    c.update(a=a, b=b, e=e, pos=pos, sp=sp, ints=ints)

    unary = ["abs", "sign", "exp", "log", "log1p", "expm1", "sqrt", "rsqrt", "sin", "cos", "tanh",
             "sigmoid", "relu", "erf", "reciprocal", "square"]
    for name in unary:
        f = getattr(torch, name)
        c[name + "_a"] = f(a)
        c[name + "_sp"] = f(sp)
        c[name + "_ints"] = f(ints)
    for name in ["log", "log1p", "sqrt", "rsqrt"]:
        c[name + "_pos"] = getattr(torch, name)(pos)

    c["pow_tt"] = torch.pow(pos, b)
    c["pow_t2"] = torch.pow(a, 2)
    c["pow_t3"] = torch.pow(a, 3)
    c["pow_thalf"] = torch.pow(pos, 0.5)
    c["pow_tneg"] = torch.pow(pos, -1.5)
    c["pow_st"] = torch.pow(2.0, a)
    c["pow_sp"] = torch.pow(sp, 2.5)
    c["pow_ints2"] = torch.pow(ints, 2)
    c["pow_ints_ints"] = torch.pow(torch.tensor([2, -1, 1, 0, 3, -2]), torch.tensor([3, -3, -5, 0, -1, 2]))
    c["pow_2_ints"] = torch.pow(2, torch.tensor([0, 1, 5]))
    c["pow_ints_half"] = torch.pow(ints, 2.5)

    c["minimum_ab"] = torch.minimum(a, b)
    c["maximum_ae"] = torch.maximum(a, e)
    c["minimum_sp"] = torch.minimum(sp, sp.flip(0))
    c["maximum_sp"] = torch.maximum(sp, sp.flip(0))

    c["clamp_both"] = torch.clamp(a, -0.5, 0.5)
    c["clamp_min"] = torch.clamp(a, min=-0.5)
    c["clamp_max"] = torch.clamp(a, max=0.5)
    c["clamp_sp"] = torch.clamp(sp, -1.0, 2.0)
    c["clamp_tt"] = torch.clamp(a, b, e.abs())
    c["clamp_ints"] = torch.clamp(ints, -1, 2)

    for name in ["eq", "ne", "lt", "le", "gt", "ge"]:
        f = getattr(torch, name)
        c[name + "_ab"] = f(a, b)
        c[name + "_as"] = f(a, 0.25)
        c[name + "_sp"] = f(sp, sp.flip(0))
        c[name + "_ints"] = f(ints, 1)
    for name in ["logical_and", "logical_or", "logical_xor"]:
        c[name] = getattr(torch, name)(ints, ints.flip(0))
    c["logical_not"] = torch.logical_not(ints)

    mask = a > 0
    c["where_ab"] = torch.where(mask, a, b)
    c["where_se"] = torch.where(mask, 1.5, e)
    c["where_as"] = torch.where(mask, a, -2)
    c["masked_fill_s"] = a.masked_fill(b > 0, 7.0)
    c["masked_fill_bcast"] = b.masked_fill(e > 0, -1.0)
    c["masked_fill_t"] = a.masked_fill(mask, torch.tensor(3.5))
    c["masked_fill_ints"] = ints.masked_fill(ints > 0, 2.7)
    end = torch.randn(2, 3)
    w = torch.rand(3) * 1.5 - 0.25
    c.update(end=end, w=w)
    c["lerp_03"] = torch.lerp(a, end, 0.3)
    c["lerp_07"] = torch.lerp(a, end, 0.7)
    c["lerp_bcast"] = torch.lerp(b, end, 0.3)
    c["lerp_w"] = torch.lerp(a, end, w)

    x = torch.tensor([1.0, 1.0 + 1e-6, 1.0 + 1e-3, INF, INF, NAN, 0.0, 1e-9])
    y = torch.tensor([1.0, 1.0, 1.0, INF, -INF, NAN, 1e-9, 0.0])
    c.update(close_x=x, close_y=y)
    c["isclose"] = torch.isclose(x, y)
    c["isclose_nan"] = torch.isclose(x, y, equal_nan=True)
    c["isclose_tol"] = torch.isclose(x, y, rtol=1e-2, atol=1e-8)
    c["isclose_zero_tol"] = torch.isclose(x, y, rtol=0, atol=0)

    # Gradients where gradcheck's finite differences are meaningless: ties and kinks.
    t1 = torch.tensor([1.0, 2.0, 3.0, 0.0], requires_grad=True)
    t2 = torch.tensor([1.0, 3.0, 2.0, 0.0], requires_grad=True)
    c["tie_x"], c["tie_y"] = t1.detach(), t2.detach()
    for name in ["maximum", "minimum"]:
        gx, gy = torch.autograd.grad(getattr(torch, name)(t1, t2).sum(), [t1, t2])
        c[name + "_grad_x"], c[name + "_grad_y"] = gx, gy
    k = torch.tensor([-1.0, -0.5, 0.0, 0.5, 1.0], requires_grad=True)
    c["kink"] = k.detach()
    for key, fn in [("clamp", lambda v: v.clamp(-0.5, 0.5)), ("relu", torch.relu), ("abs", torch.abs),
                    ("clamp_min", lambda v: v.clamp_min(0.0)), ("clamp_max", lambda v: v.clamp_max(0.0)),
                    ("pow0", lambda v: torch.pow(v, 0.0)), ("sign", torch.sign)]:
        c[key + "_grad_kink"] = torch.autograd.grad(fn(k).sum(), k)[0]
    z = torch.tensor([0.0, 0.0, 2.0], requires_grad=True)
    ze = torch.tensor([0.0, 2.0, 0.0], requires_grad=True)
    gz, gze = torch.autograd.grad(torch.pow(z, ze).sum(), [z, ze])
    c["pow0_grad_base"], c["pow0_grad_exp"] = gz, gze
    c["pow_s0_grad"] = torch.autograd.grad(torch.pow(0.0, ze).sum(), ze)[0]
    cl_lo = torch.tensor([0.0, 0.0, 2.0, 1.0], requires_grad=True)
    cl_hi = torch.tensor([1.0, 1.0, 1.0, 3.0], requires_grad=True)
    cl_x = torch.tensor([-1.0, 2.0, 1.5, 1.0], requires_grad=True)
    c.update(cl_x=cl_x.detach(), cl_lo=cl_lo.detach(), cl_hi=cl_hi.detach())
    gx, glo, ghi = torch.autograd.grad(torch.clamp(cl_x, cl_lo, cl_hi).sum(), [cl_x, cl_lo, cl_hi])
    c["clamp_t_grad_x"], c["clamp_t_grad_lo"], c["clamp_t_grad_hi"] = gx, glo, ghi

    result_type_tables(c)
    return c
