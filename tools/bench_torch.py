#!/usr/bin/python3
"""PyTorch side of `make bench`: `bench_torch.py <threads> <reps> <case>...` prints
`<case> torch_ms=<t1>,<t2>,...` per case, timing the same work as bench/core_bench.cpp.
Run with Debian's /usr/bin/python3 and OMP_WAIT_POLICY=passive, MALLOC_MMAP_MAX_=0,
MALLOC_TRIM_THRESHOLD_=68719476736 in the environment (tools/run-bench.sh sets them)."""
import sys
import time

import torch


def make_case(name):
    if name in ("matmul_1024", "matmul_256x4096x1024"):
        square = name == "matmul_1024"
        a = torch.randn(1024 if square else 256, 1024 if square else 4096)
        b = torch.randn(1024 if square else 4096, 1024)
        return (lambda: torch.matmul(a, b)), 1
    if name == "add_16M":
        a, b = torch.randn(16 << 20), torch.randn(16 << 20)
        return (lambda: a + b), 1
    if name == "sum_dim1_4096":
        x = torch.randn(4096, 4096)
        return (lambda: x.sum(1)), 1
    if name == "tiny_chain_100":
        w, c = torch.tensor([1.0001]), torch.tensor([0.0001])
        x = torch.tensor([1.0], requires_grad=True)

        def chain():
            y = x
            for _ in range(50):
                y = y * w + c  # 100 ops
            y.sum().backward()
        return chain, 200
    sys.exit("bench_torch: unknown case '%s'" % name)


def main():
    threads, reps = int(sys.argv[1]), int(sys.argv[2])
    torch.set_num_threads(threads)
    for name in sys.argv[3:]:
        run, inner = make_case(name)

        def once():
            for _ in range(inner):
                run()
        once()
        once()
        times = []
        for _ in range(reps):
            t0 = time.perf_counter()
            once()
            times.append((time.perf_counter() - t0) * 1e3 / inner)
        print("%s torch_ms=%s" % (name, ",".join("%.4f" % t for t in times)), flush=True)


if __name__ == "__main__":
    main()
