"""Goldens for joining/splitting, Python-style indexing, gather/scatter and sorting."""
import torch

FAMILY = "indexing"


def cases():
    torch.manual_seed(0)
    c = {}
    x = torch.randn(3, 4, dtype=torch.float64)
    x3 = torch.randn(2, 3, 4, dtype=torch.float64)
    c["x"], c["x3"] = x, x3

    # cat / stack / split / unfold
    a, b = torch.randn(2, 3, dtype=torch.float64), torch.randn(1, 3, dtype=torch.float64)
    c["a"], c["b"] = a, b
    c["cat0"] = torch.cat([a, b])
    c["cat1_t"] = torch.cat([a, x[:2, :].t()[:3, :].t()], 1)
    c["cat_int"] = torch.cat([torch.tensor([[1, 2, 3]]), a])
    c["stack1"] = torch.stack([a, b.expand(2, 3)], 1)
    c["split2_1"] = x.split(3, 1)[1]
    c["splits_0"] = x.split([1, 2], 0)[1]
    c["chunk3"] = x.chunk(3, 1)[1]
    c["unfold"] = x.unfold(1, 3, 1)
    w = torch.randn(3, 2, 3, dtype=torch.float64)
    c["unfold_w"] = w
    xg = x.clone().requires_grad_()
    (xg.unfold(1, 3, 1) * w).sum().backward()
    c["unfold_grad"] = xg.grad
    c["unfold_t"] = x.t().unfold(0, 2, 2)

    # Python indexing
    c["i_slice_int"] = x[1:3, 0]
    c["i_step_neg"] = x3[-1, ::2]
    c["i_none"] = x3[..., None]
    c["i_idx"] = x3[torch.tensor([1, 0, 1])]
    c["i_idx_neg"] = x3[torch.tensor([-1, 0])]
    c["mask3"], c["mask2"], c["mask_half"] = x3 > 0, x3[:, :, 0] > 0, x3 > 0.5
    c["i_mask"] = x3[c["mask3"]]
    c["i_mask2"] = x3[c["mask2"]]
    c["i_cols"] = x3[:, [0, 2]]
    c["i_sep"] = x3[[0, 1], :, [1, 3]]
    c["i_adj"] = x3[:, [0, 2], [1, 3]]
    c["i_int_adv"] = x3[:, [0, 2], 1]
    c["i_2d"] = x[torch.tensor([[0, 2], [1, 1]])]
    c["i_nc"] = x3.transpose(0, 2)[[1, 2], 0]
    c["i_ell_idx"] = x3[..., [3, 0]]
    xg = x3.clone().requires_grad_()
    wi = torch.randn(4, 3, 4, dtype=torch.float64)
    c["i_w"] = wi
    (xg[torch.tensor([1, 0, 1, 1])] * wi).sum().backward()
    c["i_dup_grad"] = xg.grad

    # index_put
    vals = torch.tensor([10.0, 20.0, 30.0], dtype=torch.float64)
    i0, i2 = torch.tensor([0, 1, 0]), torch.tensor([1, -1, 1])
    c["put"] = x3.index_put((i0, torch.tensor([2, 0, 1]), torch.tensor([1, 2, 3])), vals)
    c["put_acc"] = x3.index_put((i0, torch.tensor([0, 0, 0]), i2), vals, accumulate=True)
    c["put_bcast"] = x3.index_put((torch.tensor([1]),), torch.tensor([1.0, 2.0, 3.0, 4.0], dtype=torch.float64))
    y = x3.clone()
    y[:, [0, 2], 1] = torch.tensor([[7.0, 8.0]], dtype=torch.float64)
    c["put_py"] = y
    y = x3.clone()
    y[y > 0.5] = 0.0
    c["put_mask"] = y
    y = x3.clone()
    y[1, 1:3] = -1.0
    c["put_slice"] = y

    # gather / scatter / index_select / index_add
    gi = torch.tensor([[0, 3], [2, 2], [1, 0]])
    c["gather"] = x.gather(1, gi)
    c["gather_t"] = x.t().gather(0, torch.tensor([[2, 0, 1], [1, 1, 0]]))
    si = torch.tensor([[4, 0], [1, 1], [3, 2]])
    src = torch.randn(3, 2, dtype=torch.float64)
    c["src"] = src
    c["scatter"] = torch.zeros(3, 5, dtype=torch.float64).scatter(1, torch.tensor([[4, 0], [1, 2], [3, 2]]), src)
    c["scatter_val"] = x.scatter(1, gi, 9.5)
    c["scatter_add"] = torch.ones(3, 5, dtype=torch.float64).scatter_add(1, si, src)
    c["index_select"] = x.index_select(0, torch.tensor([2, 0, 2]))
    c["index_select_t"] = x.t().index_select(1, torch.tensor([1, 2]))
    c["index_add"] = x.index_add(0, torch.tensor([0, 2, 0]), x3[0], alpha=2)

    # nonzero / sort / topk / one_hot
    z = torch.tensor([[0, 1, 0], [2, 0, 3]])
    c["nz_in"], c["nonzero"] = z, z.nonzero()
    s = torch.tensor([[3.0, 1.0, 2.0, 1.0, 3.0], [0.5, -1.0, 0.5, 2.0, -1.0]], dtype=torch.float64)
    c["s"] = s
    v, i = s.sort()
    c["sort_v"], c["sort_i"] = v, i
    v, i = s.sort(descending=True, stable=True)
    c["sortd_v"], c["sortd_i"] = v, i
    v, i = x.sort(0)
    c["sort0_v"], c["sort0_i"] = v, i
    c["argsort"] = x.argsort(1, descending=True)
    v, i = x.topk(2, 1)
    c["topk_v"], c["topk_i"] = v, i
    v, i = x.t().topk(2, 1, largest=False)
    c["topks_v"], c["topks_i"] = v, i
    c["one_hot"] = torch.nn.functional.one_hot(torch.tensor([[0, 2], [1, 0]]))
    c["one_hot5"] = torch.nn.functional.one_hot(torch.tensor([4, 1]), 5)
    return c
