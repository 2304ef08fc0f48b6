#!/usr/bin/python3
"""PyTorch side of zoo_bench: `bench_torch_zoo.py <threads> <reps> <case>...` prints
`<case> torch_ms=t1,t2,...` for one training step (forward, cross entropy, backward, SGD) of the
same d2l model (tools/goldens/models.py) at the same size; `--peak-rss <model> <batch>` prints
`peak_rss_mb=`, the resident set's growth over 3 steps (as zoo_bench measures it). Run by tools/run-bench.sh with Debian's /usr/bin/python3."""
import pathlib
import sys
import time

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from goldens.models import MODELS  # noqa: E402

SIDES = {"lenet": 28, "lenet_bn": 28, "alexnet": 224, "vgg11_small": 224, "nin": 224}


def status_mb(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024.0
    return 0.0


def make_step(model_name, batch):
    torch.manual_seed(0)
    model = MODELS[model_name][0]()
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    side = SIDES.get(model_name, 96)
    x, y = torch.rand(batch, 1, side, side), torch.randint(0, 10, (batch,))
    loss_fn = torch.nn.CrossEntropyLoss()

    def step():
        loss = loss_fn(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return step


def main():
    if sys.argv[1] == "--peak-rss":
        step = make_step(sys.argv[2], int(sys.argv[3]))
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        before = status_mb("VmRSS")
        for _ in range(3):
            step()
        print("peak_rss_mb=%.1f" % (status_mb("VmHWM") - before))
        return
    threads, reps = int(sys.argv[1]), int(sys.argv[2])
    torch.set_num_threads(threads)
    for name in sys.argv[3:]:
        model_name, batch = name[len("train_"):].rsplit("_b", 1)
        step = make_step(model_name, int(batch))
        step()
        times = []
        for _ in range(reps):
            t0 = time.perf_counter()
            step()
            times.append((time.perf_counter() - t0) * 1e3)
        print("%s torch_ms=%s" % (name, ",".join("%.3f" % t for t in times)), flush=True)


if __name__ == "__main__":
    main()
