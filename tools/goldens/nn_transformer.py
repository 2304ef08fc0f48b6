"""Goldens for the Transformer layers, stacks and nn.Transformer: PyTorch 1.13 modules in float64
with dropout=0 and randomised weights (stored by state_dict key), the inputs and masks, the output,
and the gradients of loss = sum(out * G) for the inputs and every parameter.
Keys: <case>.<input name>, .out, .G, .g<input name>, .p.<param>, .g.<param>."""
import torch
import torch.nn as nn

FAMILY = "nn_transformer"

D, H, FF = 4, 2, 8


def randomised(m):
    m = m.double()
    with torch.no_grad():
        for p in m.parameters():
            p.copy_(torch.randn_like(p) * 0.5)
    return m


def record(c, name, m, inputs, masks, call):
    xs = {k: v.detach().clone().requires_grad_() for k, v in inputs.items()}
    out = call(m, xs, masks)
    G = torch.randn_like(out)
    (out * G).sum().backward()
    c[name + ".out"], c[name + ".G"] = out.detach(), G
    for k, x in xs.items():
        c[name + "." + k], c[name + ".g" + k] = x.detach(), x.grad
    for k, v in masks.items():
        c[name + "." + k] = v
    for k, p in m.named_parameters():
        c[name + ".p." + k], c[name + ".g." + k] = p.detach(), p.grad


def cases():
    c = {}
    torch.manual_seed(0)
    r = lambda *s: torch.randn(*s, dtype=torch.float64)
    causal5 = nn.Transformer.generate_square_subsequent_mask(5).double()
    causal3 = nn.Transformer.generate_square_subsequent_mask(3).double()
    kpm5 = torch.tensor([[False, False, False, True, True], [False] * 5])
    kpm3 = torch.tensor([[False, False, True], [False] * 3])

    enc = lambda m, x, k: m(x["src"], **k)
    record(c, "enc_post", randomised(nn.TransformerEncoderLayer(D, H, FF, dropout=0.0)),
           {"src": r(5, 2, D)}, {"src_mask": causal5, "src_key_padding_mask": kpm5}, enc)
    record(c, "enc_pre_gelu_bf",
           randomised(nn.TransformerEncoderLayer(D, H, FF, dropout=0.0, activation="gelu",
                                                 norm_first=True, batch_first=True, layer_norm_eps=1e-3)),
           {"src": r(2, 5, D)}, {"src_key_padding_mask": kpm5}, enc)
    dec = lambda m, x, k: m(x["tgt"], x["memory"], **k)
    record(c, "dec_post", randomised(nn.TransformerDecoderLayer(D, H, FF, dropout=0.0)),
           {"tgt": r(3, 2, D), "memory": r(5, 2, D)},
           {"tgt_mask": causal3, "memory_key_padding_mask": kpm5}, dec)
    record(c, "dec_pre_bf",
           randomised(nn.TransformerDecoderLayer(D, H, FF, dropout=0.0, norm_first=True, batch_first=True)),
           {"tgt": r(2, 3, D), "memory": r(2, 5, D)}, {"tgt_key_padding_mask": kpm3}, dec)
    stack = nn.TransformerEncoder(nn.TransformerEncoderLayer(D, H, FF, dropout=0.0), 2, norm=nn.LayerNorm(D))
    record(c, "encoder_stack", randomised(stack), {"src": r(5, 2, D)}, {"mask": causal5}, enc)
    dstack = nn.TransformerDecoder(nn.TransformerDecoderLayer(D, H, FF, dropout=0.0), 2)
    record(c, "decoder_stack", randomised(dstack), {"tgt": r(3, 2, D), "memory": r(5, 2, D)},
           {"tgt_mask": causal3}, dec)
    t = nn.Transformer(D, H, 1, 1, FF, dropout=0.0)
    record(c, "transformer", randomised(t), {"src": r(5, 2, D), "tgt": r(3, 2, D)},
           {"tgt_mask": causal3, "src_key_padding_mask": kpm5, "memory_key_padding_mask": kpm5},
           lambda m, x, k: m(x["src"], x["tgt"], **k))
    return c
