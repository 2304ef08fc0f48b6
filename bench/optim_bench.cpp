// Times one optimizer step over ResNet-18's parameter shapes (11.7M float32 values) in Wick and in
// PyTorch (torch.optim with foreach=True, its fast multi-tensor path), alternating rounds in the same
// run: `optim_bench [threads...] ` (default 1 2) prints `<case> threads=<n> wick_ms=<median>
// torch_ms=<median> ratio=<torch/wick>` as tools/run-bench.sh does (ratio > 1: Wick is faster).
// Cases: sgd_momentum (lr 0.1, momentum 0.9, weight_decay 1e-4), adam (defaults). PyTorch runs as
// /usr/bin/python3 on a script this program writes; torch_ms=NA when that has no torch.
// Environment: WICK_BENCH_ROUNDS (default 3), WICK_BENCH_REPS (default 5).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "wick/wick.h"

using namespace wick;

namespace {

// ResNet-18 (torchvision) parameter shapes in registration order.
std::vector<Shape> resnet18_shapes() {
  std::vector<Shape> s{{64, 3, 7, 7}, {64}, {64}};
  int64_t in = 64;
  for (int64_t out : {64, 128, 256, 512}) {
    for (int block = 0; block < 2; ++block) {
      const int64_t cin = block == 0 ? in : out;
      for (Shape sh : std::vector<Shape>{{out, cin, 3, 3}, {out}, {out}, {out, out, 3, 3}, {out}, {out}}) s.push_back(sh);
      if (block == 0 && cin != out)
        for (Shape sh : std::vector<Shape>{{out, cin, 1, 1}, {out}, {out}}) s.push_back(sh);
    }
    in = out;
  }
  s.push_back({1000, 512});
  s.push_back({1000});
  return s;
}

const char* kTorchScript = R"PY(
import sys, time, torch
threads, reps, case = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
torch.set_num_threads(threads)
shapes = []
def add(*s): shapes.append(s)
add(64, 3, 7, 7); add(64); add(64)
cin = 64
for out in (64, 128, 256, 512):
    for block in range(2):
        c = cin if block == 0 else out
        add(out, c, 3, 3); add(out); add(out); add(out, out, 3, 3); add(out); add(out)
        if block == 0 and c != out:
            add(out, c, 1, 1); add(out); add(out)
    cin = out
add(1000, 512); add(1000)
ps = [torch.randn(*s, requires_grad=True) for s in shapes]
for p in ps:
    p.grad = torch.randn_like(p) * 1e-2
if case == "sgd_momentum":
    opt = torch.optim.SGD(ps, lr=0.1, momentum=0.9, weight_decay=1e-4, foreach=True)
else:
    opt = torch.optim.Adam(ps, foreach=True)
opt.step(); opt.step()
ts = []
for _ in range(reps):
    t0 = time.perf_counter(); opt.step(); ts.append((time.perf_counter() - t0) * 1e3)
print(",".join("%.4f" % t for t in ts))
)PY";

std::string script_path() {
  static std::string path = [] {
    char name[] = "/tmp/wick_optim_bench_XXXXXX";
    int fd = mkstemp(name);
    if (fd < 0) return std::string();
    FILE* f = fdopen(fd, "w");
    std::fputs(kTorchScript, f);
    std::fclose(f);
    return std::string(name);
  }();
  return path;
}

// PyTorch's step times, or empty when /usr/bin/python3 has no torch.
std::vector<double> torch_times(int threads, int reps, const std::string& c) {
  const std::string cmd = "OMP_NUM_THREADS=" + std::to_string(threads) + " /usr/bin/python3 " + script_path() + " " +
                          std::to_string(threads) + " " + std::to_string(reps) + " " + c + " 2>/dev/null";
  std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), pclose);
  std::vector<double> out;
  if (!p) return out;
  char buf[4096];
  std::string text;
  while (std::fgets(buf, sizeof buf, p.get())) text += buf;
  size_t pos = 0;
  while (pos < text.size()) {
    char* end = nullptr;
    const double v = std::strtod(text.c_str() + pos, &end);
    if (end == text.c_str() + pos) break;
    out.push_back(v);
    pos = static_cast<size_t>(end - text.c_str()) + 1;
  }
  return out;
}

std::vector<double> wick_times(int threads, int reps, const std::string& c) {
  set_num_threads(threads);
  std::vector<Tensor> ps;
  for (const Shape& s : resnet18_shapes()) {
    Tensor p = randn(s).requires_grad_();
    p.set_grad(randn(s) * 1e-2);
    ps.push_back(p);
  }
  std::unique_ptr<optim::Optimizer> opt;
  if (c == "sgd_momentum") opt = std::make_unique<optim::SGD>(ps, optim::SGDOptions{.lr = 0.1, .momentum = 0.9, .weight_decay = 1e-4});
  else opt = std::make_unique<optim::Adam>(ps);
  opt->step();
  opt->step();
  std::vector<double> out;
  for (int r = 0; r < reps; ++r) {
    auto t0 = std::chrono::steady_clock::now();
    opt->step();
    out.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  return out;
}

double median(std::vector<double> v) {
  if (v.empty()) return -1;
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

int env_int(const char* name, int def) {
  const char* v = std::getenv(name);
  return v ? std::atoi(v) : def;
}

}  // namespace

int main(int argc, char** argv) {
  // PyTorch at its best (DESIGN.md, "Speed"); Wick gets the same environment.
  setenv("OMP_WAIT_POLICY", "passive", 1);
  setenv("MALLOC_MMAP_MAX_", "0", 1);
  setenv("MALLOC_TRIM_THRESHOLD_", "68719476736", 1);
  std::vector<int> threads;
  for (int i = 1; i < argc; ++i) threads.push_back(std::atoi(argv[i]));
  if (threads.empty()) threads = {1, 2};
  const int rounds = env_int("WICK_BENCH_ROUNDS", 3), reps = env_int("WICK_BENCH_REPS", 5);
  int64_t n = 0;
  for (const Shape& s : resnet18_shapes()) n += numel_of(s);
  std::printf("# optimizer step over %zu ResNet-18 parameters (%lld values, float32); torch foreach=True\n",
              resnet18_shapes().size(), static_cast<long long>(n));
  for (const std::string c : {"sgd_momentum", "adam"}) {
    for (int t : threads) {
      std::vector<double> w, p;
      for (int r = 0; r < rounds; ++r) {
        // Alternate which side goes first, so a neighbour's load spike hits both alike.
        auto tw = [&] { for (double x : wick_times(t, reps, c)) w.push_back(x); };
        auto tp = [&] { for (double x : torch_times(t, reps, c)) p.push_back(x); };
        if (r % 2 == 0) { tw(); tp(); } else { tp(); tw(); }
      }
      const double wm = median(w), pm = median(p);
      if (p.empty()) std::printf("%s threads=%d wick_ms=%.3f torch_ms=NA ratio=NA\n", c.c_str(), t, wm);
      else std::printf("%s threads=%d wick_ms=%.3f torch_ms=%.3f ratio=%.2f\n", c.c_str(), t, wm, pm, pm / wm);
      std::fflush(stdout);
    }
  }
  std::remove(script_path().c_str());
  return 0;
}
