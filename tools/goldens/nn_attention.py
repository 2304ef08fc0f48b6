"""Goldens for nn::MultiheadAttention (PyTorch 1.13's module in float64, its weights stored by
parameter name) and scaled_dot_product_attention (1.13 has no public one: the reference is the
documented formula softmax(q k^T * scale + mask) v written with torch ops). Gradients are of
loss = sum(out * Gout) + sum(weights * Gw). Keys: <case>.q/.k/.v/.out/.w/.G*/.gq/.gk/.gv/.p.<name>/.g.<name>."""
import math

import torch
import torch.nn as nn

FAMILY = "nn_attention"


def rand(*shape):
    return torch.randn(*shape, dtype=torch.float64, requires_grad=True)


def sdpa_ref(q, k, v, attn_mask=None, is_causal=False, scale=None):
    L, S = q.shape[-2], k.shape[-2]
    scale = 1 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = q @ k.transpose(-2, -1) * scale
    if is_causal:
        attn_mask = torch.ones(L, S, dtype=torch.bool).tril()
    if attn_mask is not None:
        if attn_mask.dtype == torch.bool:
            scores = scores.masked_fill(~attn_mask, float("-inf"))
        else:
            scores = scores + attn_mask
    return torch.softmax(scores, -1) @ v


def mha_case(c, name, m, q, k, v, **kw):
    out, w = m(q, k, v, **kw)
    Gout = torch.randn_like(out)
    loss = (out * Gout).sum()
    c[name + ".out"], c[name + ".Gout"] = out.detach(), Gout
    if w is not None:
        Gw = torch.randn_like(w)
        loss = loss + (w * Gw).sum()
        c[name + ".w"], c[name + ".Gw"] = w.detach(), Gw
    loss.backward()
    for key, t in (("q", q), ("k", k), ("v", v)):
        c[name + "." + key], c[name + ".g" + key] = t.detach(), t.grad
    for pname, p in m.named_parameters():
        c[name + ".p." + pname], c[name + ".g." + pname] = p.detach(), p.grad
    for key, t in kw.items():
        if isinstance(t, torch.Tensor):
            c[name + "." + key] = t


def cases():
    c = {}
    torch.manual_seed(0)
    # scaled_dot_product_attention
    mask_f = torch.randn(3, 5, dtype=torch.float64)
    mask_b = torch.rand(3, 5) > 0.3
    mask_b[:, 0] = True  # every query keeps at least one key
    sd = {
        "sdpa_plain": ((2, 3, 4), (2, 5, 4), (2, 5, 6), {}),
        "sdpa_bool": ((2, 3, 4), (2, 5, 4), (2, 5, 6), {"attn_mask": mask_b}),
        "sdpa_float": ((2, 2, 3, 4), (2, 2, 5, 4), (2, 2, 5, 6), {"attn_mask": mask_f}),
        "sdpa_causal": ((2, 4, 4), (2, 4, 4), (2, 4, 3), {"is_causal": True}),
        "sdpa_scale": ((3, 4), (5, 4), (5, 2), {"scale": 0.3}),
    }
    for name, (qs, ks, vs, kw) in sd.items():
        q, k, v = rand(*qs), rand(*ks), rand(*vs)
        out = sdpa_ref(q, k, v, **kw)
        G = torch.randn_like(out)
        (out * G).sum().backward()
        c.update({name + ".q": q.detach(), name + ".k": k.detach(), name + ".v": v.detach(),
                  name + ".out": out.detach(), name + ".Gout": G,
                  name + ".gq": q.grad, name + ".gk": k.grad, name + ".gv": v.grad})
    c["sdpa_bool.mask"], c["sdpa_float.mask"] = mask_b, mask_f

    # MultiheadAttention; every case's parameters are randomised (biases are zero at init).
    def make(*a, **kw):
        m = nn.MultiheadAttention(*a, **kw).double()
        with torch.no_grad():
            for p in m.parameters():
                p.copy_(torch.randn_like(p) * 0.5)
        return m

    mha_case(c, "mha_basic", make(8, 2), rand(3, 2, 8), rand(4, 2, 8), rand(4, 2, 8))
    x = rand(2, 4, 8)
    causal = torch.ones(4, 4, dtype=torch.bool).triu(1)
    kpm = torch.tensor([[False, False, True, False], [False, False, False, True]])
    mha_case(c, "mha_self_bf", make(8, 2, batch_first=True), x, x, x, attn_mask=causal,
             key_padding_mask=kpm, average_attn_weights=False)
    fmask = torch.randn(3, 4, dtype=torch.float64)
    kpm2 = torch.tensor([[False, True, False, False], [False, False, False, False]])
    mha_case(c, "mha_kv_bias_zero", make(8, 2, kdim=5, vdim=6, add_bias_kv=True, add_zero_attn=True),
             rand(3, 2, 8), rand(4, 2, 5), rand(4, 2, 6), attn_mask=fmask, key_padding_mask=kpm2)
    mha_case(c, "mha_unbatched", make(8, 4, bias=False), rand(3, 8), rand(4, 8), rand(4, 8))
    mask3 = torch.randn(2 * 2, 3, 4, dtype=torch.float64)
    mha_case(c, "mha_mask3d_noweights", make(8, 2), rand(3, 2, 8), rand(4, 2, 8), rand(4, 2, 8),
             attn_mask=mask3, need_weights=False)
    return c
