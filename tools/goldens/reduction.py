"""Goldens for the reductions: values (several dims/keepdim, a transposed input, ties, NaN) and a
few gradients, from PyTorch 1.13."""
import torch

FAMILY = "reduction"


def cases():
    c = {}
    x = torch.randn(2, 3, 4, dtype=torch.float64)
    xt = x[:, :, 0].t()  # (4, 3), non-contiguous
    c["x"] = x
    for dims, tag in [((1,), "d1"), ((0, 2), "d02")]:
        for keep in (False, True):
            k = "%s_k%d" % (tag, int(keep))
            c["mean_" + k] = x.mean(dims, keepdim=keep)
            c["var_" + k] = x.var(dims, keepdim=keep)
            c["std_" + k] = x.std(dims, keepdim=keep)
            c["var0_" + k] = torch.var(x, dims, correction=0, keepdim=keep)
            c["amax_" + k] = x.amax(dims, keepdim=keep)
            c["amin_" + k] = x.amin(dims, keepdim=keep)
            c["norm2_" + k] = x.norm(2, dims, keepdim=keep)
            c["norm3_" + k] = x.norm(3, dims, keepdim=keep)
            c["lse_" + k] = x.logsumexp(dims, keepdim=keep)
    c["mean_all"] = x.mean()
    c["var_all"] = x.var()
    c["std_all"] = x.std()
    for p, tag in [(2, "2"), (1, "1"), (float("inf"), "inf"), (float("-inf"), "ninf"), (0, "0"), (3, "3"), (0.5, "half")]:
        c["norm%s_all" % tag] = x.norm(p)
        c["norm%s_d1" % tag] = x.norm(p, 1)
    for d in (0, 1, 2):
        for keep in (False, True):
            v, i = x.max(d, keepdim=keep)
            c["max_v_d%d_k%d" % (d, keep)] = v
            c["max_i_d%d_k%d" % (d, keep)] = i
            v, i = x.min(d, keepdim=keep)
            c["min_v_d%d_k%d" % (d, keep)] = v
            c["min_i_d%d_k%d" % (d, keep)] = i
            c["argmax_d%d_k%d" % (d, keep)] = x.argmax(d, keepdim=keep)
            c["argmin_d%d_k%d" % (d, keep)] = x.argmin(d, keepdim=keep)
        c["prod_d%d" % d] = x.prod(d)
        c["cumsum_d%d" % d] = x.cumsum(d)
    c["max_all"] = x.max()
    c["min_all"] = x.min()
    c["argmax_all"] = x.argmax()
    c["argmin_all"] = x.argmin()
    c["prod_all"] = x.prod()
    # transposed input
    c["xt_sum0"] = xt.sum(0)
    c["xt_sum1"] = xt.sum(1)
    c["xt_mean1"] = xt.mean(1)
    c["xt_var0"] = xt.var(0)
    c["xt_max_v1"], c["xt_max_i1"] = xt.max(1)
    c["xt_argmin0"] = xt.argmin(0)
    c["xt_amax0"] = xt.amax(0)
    c["xt_norm1"] = xt.norm(2, 1)
    c["xt_lse0"] = xt.logsumexp(0)
    c["xt_cumsum0"] = xt.cumsum(0)
    c["xt_cumsum1"] = xt.cumsum(1)
    c["xt_prod1"] = xt.prod(1)
    # ties and NaN
    ties = torch.tensor([[1.0, 3.0, 3.0, 0.0], [2.0, 2.0, -1.0, 2.0]], dtype=torch.float64)
    c["ties"] = ties
    c["ties_max_v1"], c["ties_max_i1"] = ties.max(1)
    c["ties_min_i0"] = ties.min(0)[1]
    c["ties_argmax1"] = ties.argmax(1)
    c["ties_argmax_all"] = ties.argmax()
    t = ties.clone().requires_grad_()
    t.amax(1).sum().backward()
    c["ties_amax_grad"] = t.grad
    t.grad = None
    t.max().backward()
    c["ties_max_all_grad"] = t.grad
    t.grad = None
    t.max(1)[0].sum().backward()
    c["ties_max1_grad"] = t.grad
    nan = torch.tensor([[1.0, float("nan"), 3.0], [float("nan"), 5.0, float("nan")]], dtype=torch.float64)
    c["nan"] = nan
    c["nan_max_v1"], c["nan_max_i1"] = nan.max(1)
    c["nan_max_all"] = nan.max()
    c["nan_amax0"] = nan.amax(0)
    c["nan_argmin1"] = nan.argmin(1)
    # prod with zeros: gradient
    z = torch.tensor([[2.0, 0.0, 3.0], [0.0, 0.0, 4.0], [1.0, 5.0, 2.0]], dtype=torch.float64, requires_grad=True)
    c["z"] = z
    z.prod(1).sum().backward()
    c["z_prod1_grad"] = z.grad
    z.grad = None
    z[0].prod().backward()
    c["z_prod_row0_grad"] = z.grad
    # integer and bool inputs
    xi = torch.tensor([[3, 0, -2], [1, 4, 4]])
    c["xi"] = xi
    c["xi_prod"] = xi.prod()
    c["xi_cumsum1"] = xi.cumsum(1)
    c["xi_all1"] = xi.all(1)
    c["xi_any0"] = xi.any(0)
    c["xi_all"] = xi.all()
    c["xi_max_v1"], c["xi_max_i1"] = xi.max(1)
    c["xi_lse1"] = xi.logsumexp(1)
    c["lse_inf"] = torch.tensor([[float("-inf"), float("-inf")], [float("inf"), 1.0]]).logsumexp(1)
    return c
