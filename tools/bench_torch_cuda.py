#!/usr/bin/env python3
"""PyTorch (CUDA) counterpart of bench/cuda_bench.cpp: the same cases, shapes and timing rule
(3 warm-up runs, then the median of <reps> synchronized runs). Prints `<case> torch_ms=<median>`.
Run with a python3 that has CUDA PyTorch 2:  bench_torch_cuda.py <reps> <case>..."""
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

dev = torch.device("cuda")


def d2l_resnet18():
    class Residual(nn.Module):
        def __init__(self, cin, cout, use_1x1conv=False, strides=1):
            super().__init__()
            self.conv1 = nn.Conv2d(cin, cout, 3, padding=1, stride=strides)
            self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
            self.conv3 = nn.Conv2d(cin, cout, 1, stride=strides) if use_1x1conv else None
            self.bn1, self.bn2 = nn.BatchNorm2d(cout), nn.BatchNorm2d(cout)

        def forward(self, x):
            y = F.relu(self.bn1(self.conv1(x)))
            y = self.bn2(self.conv2(y))
            if self.conv3 is not None:
                x = self.conv3(x)
            return F.relu(y + x)

    def block(cin, cout, n, first=False):
        layers = []
        for i in range(n):
            if i == 0 and not first:
                layers.append(Residual(cin, cout, use_1x1conv=True, strides=2))
            else:
                layers.append(Residual(cout, cout))
        return nn.Sequential(*layers)

    b1 = nn.Sequential(nn.Conv2d(1, 64, 7, stride=2, padding=3), nn.BatchNorm2d(64), nn.ReLU(),
                       nn.MaxPool2d(3, stride=2, padding=1))
    return nn.Sequential(b1, block(64, 64, 2, True), block(64, 128, 2), block(128, 256, 2), block(256, 512, 2),
                         nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(), nn.Linear(512, 10))


def lenet():
    return nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.Sigmoid(), nn.AvgPool2d(2, stride=2),
                         nn.Conv2d(6, 16, 5), nn.Sigmoid(), nn.AvgPool2d(2, stride=2), nn.Flatten(),
                         nn.Linear(400, 120), nn.Sigmoid(), nn.Linear(120, 84), nn.Sigmoid(), nn.Linear(84, 10))


class LstmNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(28, 128, num_layers=2)
        self.fc = nn.Linear(128, 10)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.fc(out[-1])


def sgd_step(model, loss_of):
    opt = torch.optim.SGD(model.parameters(), lr=0.01)

    def step():
        loss = loss_of(model)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return step


def classifier(model, shape):
    model = model.to(dev)
    x = torch.rand(shape, device=dev)
    y = torch.randint(0, 10, (shape[0],), device=dev)
    return sgd_step(model, lambda m: F.cross_entropy(m(x), y))


def make_case(name):
    torch.manual_seed(0)
    if name == "train_resnet18_b128":
        return classifier(d2l_resnet18(), (128, 1, 96, 96))
    if name == "train_lenet_b256":
        return classifier(lenet(), (256, 1, 28, 28))
    if name == "train_lstm_b256":
        net = LstmNet().to(dev)
        x = torch.rand(28, 256, 28, device=dev)
        y = torch.randint(0, 10, (256,), device=dev)
        return sgd_step(net, lambda m: F.cross_entropy(m(x), y))
    if name == "train_transformer_b32":
        layer = nn.TransformerEncoderLayer(512, 8, batch_first=True).to(dev)
        x = torch.randn(32, 512, 512, device=dev)
        return sgd_step(layer, lambda m: m(x).square().mean())
    if name in ("matmul_8192_f32", "matmul_8192_bf16"):
        dt = torch.bfloat16 if name.endswith("bf16") else torch.float32
        a = torch.randn(8192, 8192, device=dev, dtype=dt)
        b = torch.randn(8192, 8192, device=dev, dtype=dt)
        return lambda: torch.mm(a, b)
    raise SystemExit(f"bench_torch_cuda: unknown case {name}")


def main():
    # PyTorch's defaults, stated: TF32 off for matmul, on for cuDNN convolutions.
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = True
    reps = max(1, int(sys.argv[1]))
    for name in sys.argv[2:]:
        work = make_case(name)
        for _ in range(3):
            work()
        torch.cuda.synchronize()
        times = []
        for _ in range(reps):
            t0 = time.perf_counter()
            work()
            torch.cuda.synchronize()
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        print(f"{name} torch_ms={times[len(times) // 2]:.3f}", flush=True)


if __name__ == "__main__":
    main()
