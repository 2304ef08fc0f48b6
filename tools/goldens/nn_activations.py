"""Goldens for nn::functional activations, linear/bilinear and the layers with parameters: forward
output and the gradients of loss = sum(out * G), from PyTorch 1.13 in float64 (the C++ test checks
float64 to 1e-10 and float32 to 1e-5 against them). Kept small: one (2, 3, 4) input."""
import torch
import torch.nn.functional as F

FAMILY = "nn_activations"

# name -> f(x); x is (2, 3, 4): even first and last dims for glu, 3 channels for prelu.
FUNCS = {
    "relu": F.relu,
    "relu6": F.relu6,
    "leaky_relu": lambda x: F.leaky_relu(x, 0.2),
    "rrelu": lambda x: F.rrelu(x, 0.1, 0.4),  # not training: the mean slope, 0.25
    "elu": lambda x: F.elu(x, 0.7),
    "selu": F.selu,
    "celu": lambda x: F.celu(x, 1.3),
    "gelu": F.gelu,
    "gelu_tanh": lambda x: F.gelu(x, approximate="tanh"),
    "silu": F.silu,
    "mish": F.mish,
    "sigmoid": torch.sigmoid,
    "logsigmoid": F.logsigmoid,
    "tanh": torch.tanh,
    "hardtanh": lambda x: F.hardtanh(x, -2.0, 1.5),
    "hardsigmoid": F.hardsigmoid,
    "hardswish": F.hardswish,
    "hardshrink": lambda x: F.hardshrink(x, 0.6),
    "softshrink": lambda x: F.softshrink(x, 0.6),
    "tanhshrink": F.tanhshrink,
    "softplus": lambda x: F.softplus(x, 2.0, 5.0),
    "softsign": F.softsign,
    "threshold": lambda x: F.threshold(x, 0.3, -2.0),
    "glu": lambda x: F.glu(x, -1),
    "glu0": lambda x: F.glu(x, 0),
    "softmax": lambda x: F.softmax(x, 1),
    "log_softmax": lambda x: F.log_softmax(x, -1),
    "softmin": lambda x: F.softmin(x, 0),
}


def grads(f, inputs, dtype, g):
    xs = [t.detach().to(dtype).requires_grad_() for t in inputs]
    out = f(*xs)
    (out * g.to(dtype)).sum().backward()
    return out, [x.grad for x in xs]


def cases():
    c = {}
    torch.manual_seed(0)
    # Spread over [-6, 6] with exact points that avoid the kinks (0, +-3, thresholds).
    x = torch.randn(2, 3, 4, dtype=torch.float64) * 2.5
    x[0, 0, :] = torch.tensor([-30.0, 25.0, -0.05, 0.07], dtype=torch.float64)
    x[1, 0, :2] = torch.tensor([4.0, -4.5], dtype=torch.float64)
    G = torch.randn(2, 3, 4, dtype=torch.float64)
    c["x"], c["g"] = x, G
    for name, f in FUNCS.items():
        probe = f(x)
        # glu halves a dim: its G is the leading part of the shared one.
        g = G[tuple(slice(0, n) for n in probe.shape)]
        out, (gx,) = grads(f, [x], torch.float64, g)
        c[name + "_out"], c[name + "_gx"] = out, gx

    # Layers with parameters: linear, bilinear, prelu (per channel and shared).
    a = torch.randn(5, 3, dtype=torch.float64)
    w = torch.randn(4, 3, dtype=torch.float64)
    b = torch.randn(4, dtype=torch.float64)
    g = torch.randn(5, 4, dtype=torch.float64)
    c.update({"lin_x": a, "lin_w": w, "lin_b": b, "lin_g": g})
    out, (gx, gw, gb) = grads(F.linear, [a, w, b], torch.float64, g)
    c.update({"lin_out": out, "lin_gx": gx, "lin_gw": gw, "lin_gb": gb})

    x1 = torch.randn(2, 3, 3, dtype=torch.float64)
    x2 = torch.randn(2, 3, 2, dtype=torch.float64)
    bw = torch.randn(4, 3, 2, dtype=torch.float64)
    bb = torch.randn(4, dtype=torch.float64)
    bg = torch.randn(2, 3, 4, dtype=torch.float64)
    c.update({"bil_x1": x1, "bil_x2": x2, "bil_w": bw, "bil_b": bb, "bil_g": bg})
    out, (g1, g2, gw, gb) = grads(F.bilinear, [x1, x2, bw, bb], torch.float64, bg)
    c.update({"bil_out": out, "bil_gx1": g1, "bil_gx2": g2, "bil_gw": gw, "bil_gb": gb})

    pw = torch.tensor([0.25, -0.5, 2.0], dtype=torch.float64)
    c["prelu_w"] = pw
    out, (gx, gw) = grads(F.prelu, [x, pw], torch.float64, G)
    c.update({"prelu_out": out, "prelu_gx": gx, "prelu_gw": gw})
    out, (gx, gw) = grads(F.prelu, [x, pw[:1]], torch.float64, G)
    c.update({"prelu1_out": out, "prelu1_gx": gx, "prelu1_gw": gw})
    return c
