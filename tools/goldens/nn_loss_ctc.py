"""Goldens for F::ctc_loss: padded and concatenated targets, unequal input and target lengths,
repeated labels, a non-zero blank, an impossible alignment (inf, and 0 with zero_infinity),
unbatched input; every reduction. Inputs are log_softmax outputs; the gradient is taken with
respect to those log-probabilities (as the test feeds them). Format as nn_loss.py, plus the
lengths under <case>_il / <case>_tl."""
import torch
import torch.nn.functional as F

from goldens.nn_loss import run_cases

FAMILY = "nn_loss_ctc"
f64 = torch.float64


def build():
    T, N, C = 6, 3, 5
    lp = torch.randn(T, N, C, dtype=f64).log_softmax(2)
    padded = torch.tensor([[1, 2, 2], [3, 1, 0], [4, 4, 4]])
    il, tl = [6, 5, 6], [3, 2, 1]
    concat = torch.tensor([1, 2, 2, 3, 1, 4])
    lp_b2 = torch.randn(T, N, C, dtype=f64).log_softmax(2)
    padded_b2 = torch.tensor([[0, 1, 0], [3, 4, 1], [1, 1, 1]])  # blank = 2
    il_b2, tl_b2 = [6, 6, 4], [3, 3, 2]
    # Item 1 needs 2 * 3 steps for "1 1 1" (blanks between repeats) but has only 4: infinite.
    imp = torch.tensor([[1, 2, 3], [1, 1, 1], [2, 3, 0]])
    il_imp, tl_imp = [6, 4, 3], [3, 3, 2]
    lp1 = torch.randn(5, 4, dtype=f64).log_softmax(1)
    t1 = torch.tensor([1, 3])
    c, lengths = {}, {}
    for r in ["none", "mean", "sum"]:
        specs = {
            "ctc_pad_" + r: (lp, padded, il, tl, {}),
            "ctc_cat_" + r: (lp, concat, il, tl, {}),
            "ctc_blank2_" + r: (lp_b2, padded_b2, il_b2, tl_b2, {"blank": 2}),
            "ctc_zinf_" + r: (lp, imp, il_imp, tl_imp, {"zero_infinity": True}),
            "ctc_1d_" + r: (lp1, t1, [5], [2], {}),
        }
        if r != "mean":  # mean of an infinite loss is inf; keep the inf itself per item and summed
            specs["ctc_inf_" + r] = (lp, imp, il_imp, tl_imp, {})
        for name, (x, t, i, l, kw) in specs.items():
            unbatched = x.dim() == 2
            c[name] = (lambda x, t, i=i, l=l, kw=kw, r=r, u=unbatched: F.ctc_loss(
                x, t, torch.tensor(i[0]) if u else i, torch.tensor(l[0]) if u else l, reduction=r, **kw),
                [x, t], [0] if "inf" not in name or "zinf" in name else [])
            lengths[name + "_il"] = torch.tensor(i)
            lengths[name + "_tl"] = torch.tensor(l)
    return c, lengths


def cases():
    torch.manual_seed(3)
    c, lengths = build()
    out = run_cases(c)
    out.update(lengths)
    return out
