"""Goldens for nn::utils::rnn (pack_padded_sequence, pad_packed_sequence, pad_sequence,
pack_sequence) and RNN/LSTM/GRU on PackedSequence input, from PyTorch 1.13 in float64: packed
data and batch/sort indices, padded results, and for the modules (weights stored by name) the
packed output, h_n, c_n and the gradients of loss = sum(out.data * Gout) + sum(h_n * Ghn)
[+ sum(c_n * Gcn)] for the padded input, the initial states and every parameter. Lengths have no
ties where the sort order matters. Keys: <case>.x, .lengths, .out, .padded, .hn, .cn, .G*, .gx,
.gh0, .gc0, .p.<name>, .g.<name>."""
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence, pack_sequence

FAMILY = "nn_packed"

# name -> (constructor, lengths, batch_first, enforce_sorted, initial states given); T = 5, I = 3.
MODULES = {
    "rnn_bi2_unsorted": (lambda: nn.RNN(3, 4, 2, bidirectional=True), [5, 2, 4, 1], False, False, True),
    "rnn_relu_sorted": (lambda: nn.RNN(3, 4, nonlinearity="relu"), [5, 3, 3, 1], False, True, False),
    "lstm_bi2_sorted": (lambda: nn.LSTM(3, 4, 2, bidirectional=True), [5, 4, 2, 2], False, True, True),
    "lstm_proj_bf": (lambda: nn.LSTM(3, 5, proj_size=2, bidirectional=True, batch_first=True),
                     [3, 5, 1], True, False, True),
    "gru_bi2_unsorted": (lambda: nn.GRU(3, 4, 2, bidirectional=True), [2, 5, 3], False, False, True),
    "gru_bf_nobias": (lambda: nn.GRU(3, 4, bias=False, batch_first=True), [4, 5, 1], True, False, False),
}


def module_cases(c):
    torch.manual_seed(1)
    for name, (make, lengths, bf, enforce, with_h0) in MODULES.items():
        m = make().double()
        lstm = isinstance(m, nn.LSTM)
        B = len(lengths)
        x = torch.randn((B, 5, 3) if bf else (5, B, 3), dtype=torch.float64, requires_grad=True)
        packed = pack_padded_sequence(x, torch.tensor(lengths), batch_first=bf, enforce_sorted=enforce)
        states, hx = {}, None
        if with_h0:
            dirs, out_h = 2 if m.bidirectional else 1, m.proj_size or m.hidden_size
            h0 = torch.randn(m.num_layers * dirs, B, out_h, dtype=torch.float64, requires_grad=True)
            states["h0"], hx = h0, h0
            if lstm:
                c0 = torch.randn(m.num_layers * dirs, B, m.hidden_size, dtype=torch.float64,
                                 requires_grad=True)
                states["c0"], hx = c0, (h0, c0)
        out, hn = m(packed, hx)
        outs = [out.data] + (list(hn) if lstm else [hn])
        Gs = [torch.randn_like(o) for o in outs]
        for key, o, g in zip(["out", "hn", "cn"], outs, Gs):
            c[name + "." + key], c[name + ".G" + key] = o.detach(), g
        c[name + ".padded"] = pad_packed_sequence(out, batch_first=bf)[0].detach()
        sum((o * g).sum() for o, g in zip(outs, Gs)).backward()
        c[name + ".x"], c[name + ".gx"], c[name + ".lengths"] = x.detach(), x.grad, torch.tensor(lengths)
        for key, s in states.items():
            c[name + "." + key], c[name + ".g" + key] = s.detach(), s.grad
        for pname, p in m.named_parameters():
            c[name + ".p." + pname], c[name + ".g." + pname] = p.detach(), p.grad


def util_cases(c):
    g = torch.Generator().manual_seed(7)
    x = torch.randn(4, 3, 2, dtype=torch.float64, generator=g, requires_grad=True)  # (T, B, *)
    c["util.x"] = x.detach()
    for key, lengths, bf, enforce in (("sorted", [4, 2, 1], False, True),
                                      ("unsorted", [2, 4, 3], False, False),
                                      ("bf", [3, 1, 2], True, False)):
        xi = x.transpose(0, 1) if bf else x
        p = pack_padded_sequence(xi, lengths, batch_first=bf, enforce_sorted=enforce)
        c["util." + key + ".data"], c["util." + key + ".batch_sizes"] = p.data.detach(), p.batch_sizes
        if p.sorted_indices is not None:
            c["util." + key + ".sorted"], c["util." + key + ".unsorted"] = p.sorted_indices, p.unsorted_indices
        G = torch.randn(p.data.shape, dtype=torch.float64, generator=g)
        x.grad = None
        (p.data * G).sum().backward()
        c["util." + key + ".G"], c["util." + key + ".gx"] = G, x.grad
        padded, lens = pad_packed_sequence(p, batch_first=bf, padding_value=-1.5, total_length=6)
        c["util." + key + ".padded"], c["util." + key + ".padded_lengths"] = padded.detach(), lens

    seqs = [torch.randn(n, 2, dtype=torch.float64, generator=g, requires_grad=True) for n in (2, 4, 1)]
    for i, s in enumerate(seqs):
        c["util.seq%d" % i] = s.detach()
    padded = pad_sequence(seqs, batch_first=True, padding_value=0.5)
    G = torch.randn(padded.shape, dtype=torch.float64, generator=g)
    (padded * G).sum().backward()
    c["util.pad_sequence"], c["util.pad_sequence.G"] = padded.detach(), G
    for i, s in enumerate(seqs):
        c["util.pad_sequence.g%d" % i] = s.grad
    p = pack_sequence(seqs, enforce_sorted=False)
    c["util.pack_sequence.data"], c["util.pack_sequence.batch_sizes"] = p.data.detach(), p.batch_sizes
    c["util.pack_sequence.sorted"] = p.sorted_indices


def cases():
    c = {}
    module_cases(c)
    util_cases(c)
    return c
