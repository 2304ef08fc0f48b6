"""Goldens for nn::RNN/LSTM/GRU and the cells: PyTorch 1.13 modules in float64 with their weights
stored (the C++ test loads them by parameter name), the inputs, the outputs, and the gradients of
loss = sum(out * Gout) + sum(h_n * Ghn) [+ sum(c_n * Gcn)] for the input, the initial states and
every parameter. Case keys: <case>.x, .h0, .c0, .out, .hn, .cn, .G*, .gx, .gh0, .gc0, .p.<name>,
.g.<name>."""
import torch
import torch.nn as nn

FAMILY = "nn_rnn"

# name -> (constructor, input shape, h0 given, c0 given); T=4 steps, N=2.
SEQ = {
    "rnn_tanh2": (lambda: nn.RNN(3, 4, 2), (4, 2, 3), True),
    "rnn_relu_bi_bf": (lambda: nn.RNN(3, 4, nonlinearity="relu", bidirectional=True,
                                      batch_first=True), (2, 4, 3), False),
    "rnn_unbatched": (lambda: nn.RNN(3, 4, bias=False), (4, 3), True),
    "lstm_bi2": (lambda: nn.LSTM(3, 4, 2, bidirectional=True), (4, 2, 3), True),
    "lstm_proj_bf": (lambda: nn.LSTM(3, 5, proj_size=2, batch_first=True, num_layers=2),
                     (2, 4, 3), True),
    "lstm_unbatched_bi": (lambda: nn.LSTM(3, 4, bidirectional=True), (4, 3), True),
    "lstm_nobias": (lambda: nn.LSTM(3, 4, bias=False), (4, 2, 3), False),
    "gru_bi2": (lambda: nn.GRU(3, 4, 2, bidirectional=True), (4, 2, 3), True),
    "gru_unbatched": (lambda: nn.GRU(3, 4, bias=False), (4, 3), False),
}

CELLS = {
    "rnncell_tanh": (lambda: nn.RNNCell(3, 4), (2, 3), True),
    "rnncell_relu": (lambda: nn.RNNCell(3, 4, nonlinearity="relu"), (2, 3), True),
    "rnncell_unbatched": (lambda: nn.RNNCell(3, 4, bias=False), (3,), True),
    "lstmcell": (lambda: nn.LSTMCell(3, 4), (2, 3), True),
    "lstmcell_unbatched": (lambda: nn.LSTMCell(3, 4), (3,), False),
    "grucell": (lambda: nn.GRUCell(3, 4), (2, 3), True),
    "grucell_nobias": (lambda: nn.GRUCell(3, 4, bias=False), (2, 3), False),
}


def record(c, name, m, x, states, outs, Gs):
    loss = sum((o * g).sum() for o, g in zip(outs, Gs))
    loss.backward()
    c[name + ".x"], c[name + ".gx"] = x.detach(), x.grad
    for key, s in states.items():
        c[name + "." + key], c[name + ".g" + key] = s.detach(), s.grad
    for pname, p in m.named_parameters():
        c[name + ".p." + pname], c[name + ".g." + pname] = p.detach(), p.grad


def cases():
    c = {}
    torch.manual_seed(0)
    for name, (make, xshape, with_h0) in SEQ.items():
        m = make().double()
        lstm = isinstance(m, nn.LSTM)
        x = torch.randn(*xshape, dtype=torch.float64, requires_grad=True)
        states, hx = {}, None
        if with_h0:
            dirs, out_h = 2 if m.bidirectional else 1, m.proj_size or m.hidden_size
            batch = () if x.dim() == 2 else (x.shape[0] if m.batch_first else x.shape[1],)
            h0 = torch.randn(m.num_layers * dirs, *batch, out_h, dtype=torch.float64,
                             requires_grad=True)
            states["h0"] = h0
            hx = h0
            if lstm:
                c0 = torch.randn(m.num_layers * dirs, *batch, m.hidden_size, dtype=torch.float64,
                                 requires_grad=True)
                states["c0"] = c0
                hx = (h0, c0)
        out, hn = m(x, hx)
        outs = [out] + (list(hn) if lstm else [hn])
        Gs = [torch.randn_like(o) for o in outs]
        for key, o, g in zip(["out", "hn", "cn"], outs, Gs):
            c[name + "." + key], c[name + ".G" + key] = o.detach(), g
        record(c, name, m, x, states, outs, Gs)

    for name, (make, xshape, with_h0) in CELLS.items():
        m = make().double()
        lstm = isinstance(m, nn.LSTMCell)
        x = torch.randn(*xshape, dtype=torch.float64, requires_grad=True)
        states, hx = {}, None
        if with_h0:
            h0 = torch.randn(*xshape[:-1], 4, dtype=torch.float64, requires_grad=True)
            states["h0"] = h0
            hx = h0
            if lstm:
                c0 = torch.randn(*xshape[:-1], 4, dtype=torch.float64, requires_grad=True)
                states["c0"] = c0
                hx = (h0, c0)
        res = m(x, hx)
        outs = list(res) if lstm else [res]
        Gs = [torch.randn_like(o) for o in outs]
        for key, o, g in zip(["out", "cn"], outs, Gs):
            c[name + "." + key], c[name + ".G" + key] = o.detach(), g
        record(c, name, m, x, states, outs, Gs)
    return c
