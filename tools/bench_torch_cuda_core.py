"""PyTorch's times for bench/cuda_core_bench.cpp's cases on the GPU: prints `<case> torch_ms=<median>`.
Run on the GPU machine (tools/gpu-check.sh does); exits quietly without torch or a GPU."""
import sys
import time

try:
    import torch
except ImportError:
    sys.exit(0)
if not torch.cuda.is_available():
    print("bench_torch_cuda: no CUDA device")
    sys.exit(0)


def median_ms(reps, f):
    f()
    torch.cuda.synchronize()
    t = []
    for _ in range(reps):
        t0 = time.perf_counter()
        f()
        torch.cuda.synchronize()
        t.append((time.perf_counter() - t0) * 1e3)
    return sorted(t)[len(t) // 2]


def main():
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    d = "cuda"
    a, b = torch.randn(64 << 20, device=d), torch.randn(64 << 20, device=d)
    m = torch.randn(4096, 4096, device=d)
    host = torch.randn(64 << 20)
    s = torch.randn(1024, 1024, device=d)
    idx = torch.randint(0, 4096, (4096,), device=d)
    cases = {
        "add_64M": lambda: a + b,
        "mul_bcast_4096x4096": lambda: m * m[:1],
        "transpose_copy_4096": lambda: m.t().contiguous(),
        "sum_64M": lambda: a.sum(),
        "sum_dim1_4096": lambda: m.sum(1),
        "sum_dim0_4096": lambda: m.sum(0),
        "argmax_dim1_4096": lambda: m.argmax(1),
        "index_select_4096": lambda: m.index_select(0, idx),
        "sort_dim1_1024x1024": lambda: s.sort(1)[0],
        "randn_64M": lambda: torch.randn(64 << 20, device=d),
        "h2d_256MiB": lambda: host.to(d),
        "d2h_256MiB": lambda: a.cpu(),
    }
    for name, f in cases.items():
        print(f"{name} torch_ms={median_ms(reps, f):.3f}")


main()
