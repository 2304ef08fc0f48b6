"""Goldens for embedding / embedding_bag from PyTorch 1.13 in float64: outputs and weight
gradients of loss = sum(out * G) (padding_idx, scale_grad_by_freq, max_norm renorm, bags in
sum/mean/max with offsets, include_last_offset, per_sample_weights, padding_idx)."""
import torch
import torch.nn.functional as F

FAMILY = "nn_embedding"
D = torch.float64


def run(c, prefix, f, w, g):
    wr = w.detach().clone().requires_grad_()
    out = f(wr)
    (out * g).sum().backward()
    c[prefix + "_out"], c[prefix + "_gw"] = out, wr.grad
    return wr


def cases():
    c = {}
    torch.manual_seed(0)
    w = torch.randn(7, 3, dtype=D)
    idx = torch.tensor([[0, 2, 4, 2], [6, 2, 0, 1]])
    G = torch.randn(2, 4, 3, dtype=D)
    c.update({"w": w, "idx": idx, "G": G})
    run(c, "emb", lambda w: F.embedding(idx, w), w, G)
    run(c, "emb_pad", lambda w: F.embedding(idx, w, padding_idx=2), w, G)
    run(c, "emb_freq", lambda w: F.embedding(idx, w, scale_grad_by_freq=True), w, G)
    wr = run(c, "emb_maxnorm", lambda w: F.embedding(idx, w, max_norm=1.0), w, G)
    c["emb_maxnorm_w_after"] = wr.detach()
    wr = run(c, "emb_maxnorm3", lambda w: F.embedding(idx, w, max_norm=1.5, norm_type=3.0), w, G)
    c["emb_maxnorm3_w_after"] = wr.detach()

    flat = torch.tensor([1, 2, 4, 5, 4, 3, 2, 6, 0])
    offsets = torch.tensor([0, 3, 3, 5])  # bag 1 is empty
    Gb = torch.randn(4, 3, dtype=D)
    psw = torch.randn(9, dtype=D)
    c.update({"flat": flat, "offsets": offsets, "Gb": Gb, "psw": psw})
    for mode in ["sum", "mean", "max"]:
        run(c, "bag_" + mode, lambda w: F.embedding_bag(flat, w, offsets, mode=mode), w, Gb)
        run(c, "bag_pad_" + mode, lambda w: F.embedding_bag(flat, w, offsets, mode=mode, padding_idx=4), w, Gb)
        run(c, "bag2d_" + mode, lambda w: F.embedding_bag(idx, w, mode=mode), w, Gb[:2])
    last = torch.tensor([0, 3, 3, 5, 9])
    c["last"] = last
    run(c, "bag_last", lambda w: F.embedding_bag(flat, w, last, mode="sum", include_last_offset=True), w, Gb)
    pswr = psw.clone().requires_grad_()
    wr = w.clone().requires_grad_()
    out = F.embedding_bag(flat, wr, offsets, mode="sum", per_sample_weights=pswr)
    (out * Gb).sum().backward()
    c["bag_psw_out"], c["bag_psw_gw"], c["bag_psw_gpsw"] = out, wr.grad, pswr.grad
    return c
