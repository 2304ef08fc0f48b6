"""Goldens for group_norm, instance_norm (functional and InstanceNorm modules with running stats),
local_response_norm and normalize, from PyTorch 1.13 in float64: outputs and the gradients of
loss = sum(out * G). Small shapes only."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from goldens.nn_norm import grads, put

FAMILY = "nn_norm_more"
D = torch.float64




def cases():
    c = {}
    torch.manual_seed(0)
    x = torch.randn(2, 6, 3, 2, dtype=D) * 2 + 0.3
    G = torch.randn(2, 6, 3, 2, dtype=D)
    w, b = torch.randn(6, dtype=D), torch.randn(6, dtype=D)
    c.update({"x": x, "G": G, "w": w, "b": b})
    out, gs = grads(lambda x, w, b: F.group_norm(x, 3, w, b, 1e-4), [x, w, b], G)
    put(c, "gn", out, gs, ["x", "w", "b"])
    out, gs = grads(lambda x: F.group_norm(x, 2), [x], G)
    put(c, "gn_plain", out, gs, ["x"])
    out, gs = grads(lambda x, w, b: F.instance_norm(x, weight=w, bias=b), [x, w, b], G)
    put(c, "in", out, gs, ["x", "w", "b"])
    out, gs = grads(lambda x: F.local_response_norm(x, 3, 1e-2, 0.75, 2.0), [x], G)
    put(c, "lrn3", out, gs, ["x"])
    out, gs = grads(lambda x: F.local_response_norm(x, 2), [x], G)
    put(c, "lrn2", out, gs, ["x"])
    x3 = x[:, :, :, 0]
    out, gs = grads(lambda x: F.local_response_norm(x, 4, 0.5), [x3], G[:, :, :, 0])
    put(c, "lrn4", out, gs, ["x"])
    out, gs = grads(lambda x: F.normalize(x), [x], G)
    put(c, "normalize", out, gs, ["x"])
    out, gs = grads(lambda x: F.normalize(x, 1.0, -1), [x], G)
    put(c, "normalize_l1", out, gs, ["x"])

    # InstanceNorm1d with affine and running stats: two training steps, then eval.
    m = nn.InstanceNorm1d(3, affine=True, track_running_stats=True, momentum=0.3).double()
    with torch.no_grad():
        m.weight.copy_(torch.randn(3, dtype=D))
        m.bias.copy_(torch.randn(3, dtype=D))
    c["in1_w"], c["in1_b"] = m.weight.detach().clone(), m.bias.detach().clone()
    for k in range(2):
        xk = torch.randn(2, 3, 5, dtype=D) + 1
        Gk = torch.randn(2, 3, 5, dtype=D)
        c["in1_x%d" % k], c["in1_G%d" % k] = xk, Gk
        out, (gx,) = grads(m, [xk], Gk)
        c["in1_out%d" % k], c["in1_gx%d" % k] = out, gx
    c["in1_rm"], c["in1_rv"] = m.running_mean, m.running_var
    m.eval()
    out, (gx,) = grads(m, [c["in1_x0"]], c["in1_G0"])
    c["in1_eval_out"], c["in1_eval_gx"] = out, gx
    # Unbatched InstanceNorm2d (C, H, W).
    xu = torch.randn(3, 2, 4, dtype=D)
    c["in2u_x"] = xu
    c["in2u_out"] = nn.InstanceNorm2d(3)(xu)
    return c
