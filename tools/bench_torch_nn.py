#!/usr/bin/python3
"""PyTorch side of bench/nn_bench.cpp: `bench_torch_nn.py <threads> <reps> <case>...` prints
`<case> torch_ms=<t1>,<t2>,...` per case, timing the same forward+backward (gradients dropped
before each run, a fixed upstream gradient of ones). Run with Debian's /usr/bin/python3 and
OMP_WAIT_POLICY=passive, MALLOC_MMAP_MAX_=0, MALLOC_TRIM_THRESHOLD_=68719476736 in the
environment (tools/run-bench.sh sets them)."""
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def module_case(m, x):
    x.requires_grad_()
    return (lambda: m(x)), list(m.parameters()) + [x]


def make_case(name):
    torch.manual_seed(0)
    if name == "conv2d_lenet":
        return module_case(nn.Conv2d(1, 6, 5, padding=2), torch.randn(256, 1, 28, 28))
    if name == "conv2d_resnet64":
        return module_case(nn.Conv2d(64, 64, 3, padding=1), torch.randn(32, 64, 24, 24))
    if name == "conv2d_resnet128s2":
        return module_case(nn.Conv2d(128, 128, 3, stride=2, padding=1), torch.randn(32, 128, 24, 24))
    if name == "maxpool2d":
        return module_case(nn.MaxPool2d(3, stride=2, padding=1), torch.randn(32, 64, 48, 48))
    if name == "batchnorm2d":
        return module_case(nn.BatchNorm2d(64), torch.randn(32, 64, 24, 24))
    if name == "lstm":
        m = nn.LSTM(28, 128, 2)
        x = torch.randn(28, 256, 28, requires_grad=True)
        return (lambda: m(x)[0]), list(m.parameters()) + [x]
    if name == "transformer":
        return module_case(nn.TransformerEncoderLayer(128, 4, dim_feedforward=256), torch.randn(64, 32, 128))
    if name in ("cross_entropy", "cross_entropy_composite"):
        x = torch.randn(4096, 1000, requires_grad=True)
        y = torch.randint(0, 1000, (4096,))
        if name == "cross_entropy":
            return (lambda: F.cross_entropy(x, y)), [x]
        return (lambda: F.nll_loss(F.log_softmax(x, 1), y)), [x]
    if name.startswith("conv:"):  # conv:N,C,H,O,k,stride,padding (square images and kernels)
        n, c, h, o, k, s, p = (int(v) for v in name[5:].split(","))
        return module_case(nn.Conv2d(c, o, k, stride=s, padding=p), torch.randn(n, c, h, h))
    sys.exit("bench_torch_nn: unknown case '%s'" % name)


def main():
    threads, reps = int(sys.argv[1]), int(sys.argv[2])
    torch.set_num_threads(threads)
    for name in sys.argv[3:]:
        forward, leaves = make_case(name)
        grad = []

        def once():
            for t in leaves:
                t.grad = None
            out = forward()
            if not grad:
                grad.append(torch.ones_like(out))
            out.backward(grad[0])
        once()
        once()
        times = []
        for _ in range(reps):
            t0 = time.perf_counter()
            once()
            times.append((time.perf_counter() - t0) * 1e3)
        print("%s torch_ms=%s" % (name, ",".join("%.4f" % t for t in times)), flush=True)


if __name__ == "__main__":
    main()
