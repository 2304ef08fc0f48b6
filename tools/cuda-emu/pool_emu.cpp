// pool.cu's kernels run serially on the CPU (one thread, one block covering all cells) against the
// CPU backend over many window geometries, float64. Driven by run.sh; not part of the test suite.
#include "shim_serial.h"
#include <cstdio>
#include <optional>
#include "wick/wick.h"
#include "wick/backend/backend.h"
namespace emu {
using namespace wick;
#include "pool_kernels.inc"
}
using namespace wick;
int fails = 0;
void cmp(const Tensor& a, const Tensor& b, const char* what) {
  bool ok = a.sizes().vec() == b.sizes().vec() && allclose(a.to(kFloat64), b.to(kFloat64), 1e-12, 1e-12);
  if (!ok) { ++fails; std::printf("FAIL %s\n", what); }
}
void run(Shape in, Shape out, PoolArgs a, const char* what) {
  Tensor x = randn(in, {.dtype = kFloat64});
  Backend& cpu = backend_for(Device(kCPU));
  auto g = emu::make_geom(x.sizes(), IntArrayRef(out), a);
  Tensor oc = empty(out, {.dtype = kFloat64}), ic = empty(out, {.dtype = kInt64});
  Tensor oe = empty(out, {.dtype = kFloat64}), ie = empty(out, {.dtype = kInt64});
  const int64_t n = oc.numel();
  cpu.max_pool_forward(oc, ic, x, a);
  emu::max_pool_kernel<double>(oe.data_ptr<double>(), ie.data_ptr<int64_t>(), x.data_ptr<double>(), g, n);
  cmp(oe, oc, what); cmp(ie, ic, what);
  // average pooling has no dilation (the CPU kernel refuses it)
  const bool dilated = std::any_of(a.dilation.begin(), a.dilation.end(), [](int64_t v) { return v != 1; });
  if (!dilated) {
    cpu.avg_pool_forward(oc, x, a);
    emu::avg_pool_kernel<double>(oe.data_ptr<double>(), x.data_ptr<double>(), g, n);
    cmp(oe, oc, what);
    Tensor go = randn(out, {.dtype = kFloat64});
    Tensor gc = empty(in, {.dtype = kFloat64}), ge = empty(in, {.dtype = kFloat64});
    cpu.avg_pool_backward(gc, go, a);
    emu::avg_pool_backward_kernel<double>(ge.data_ptr<double>(), go.data_ptr<double>(), g, gc.numel());
    cmp(ge, gc, what);
  }
  // scatter with accumulate
  Tensor src = randn({in[0], n / in[0]}, {.dtype = kFloat64});
  int64_t m = x.numel() / in[0];
  Tensor sc = empty({in[0], m}, {.dtype = kFloat64}), se = zeros({in[0], m}, {.dtype = kFloat64});
  Tensor idx = ic.reshape({in[0], -1}).contiguous();
  cpu.pool_scatter(sc, src, idx, true);
  int bad = 0;
  emu::pool_scatter_kernel<double>(se.data_ptr<double>(), src.data_ptr<double>(), idx.data_ptr<int64_t>(), in[0], m, n / in[0], true, &bad);
  cmp(se, sc, what);
}
int64_t osz(int64_t in, int64_t k, int64_t s, int64_t p, int64_t d, bool ceil) {
  int64_t num = in + 2 * p - d * (k - 1) - 1;
  int64_t o = (ceil ? (num + s - 1) / s : num / s) + 1;
  if (ceil && (o - 1) * s >= in + p) --o;
  return o;
}
int main() {
  for (bool ceil : {false, true})
    for (bool incl : {true, false})
      for (int64_t k : {1, 2, 3})
        for (int64_t s : {1, 2, 3})
          for (int64_t p = 0; p <= k / 2; ++p)
            for (int64_t d : {1, 2}) {
              PoolArgs a;
              a.kernel = {k, 2}; a.stride = {s, 2}; a.padding = {p, 1}; a.dilation = {d, 1};
              a.count_include_pad = incl;
              Shape in{3, 9, 8};
              Shape out{3, osz(9, k, s, p, d, ceil), osz(8, 2, 2, 1, 1, ceil)};
              if (out[1] <= 0) continue;
              run(in, out, a, "2d sliding");
            }
  for (int64_t o0 : {1, 3, 4, 7}) for (int64_t o1 : {1, 2, 5}) {
    PoolArgs a; a.adaptive = true;
    run({2, 7, 5}, {2, o0, o1}, a, "2d adaptive");
  }
  {
    PoolArgs a; a.kernel = {2, 3, 2}; a.stride = {1, 2, 2}; a.padding = {1, 1, 0}; a.dilation = {1, 1, 1};
    run({2, 4, 5, 6}, {2, osz(4,2,1,1,1,false), osz(5,3,2,1,1,false), osz(6,2,2,0,1,false)}, a, "3d");
    a.divisor_override = 5;
    run({2, 4, 5, 6}, {2, osz(4,2,1,1,1,false), osz(5,3,2,1,1,false), osz(6,2,2,0,1,false)}, a, "3d divisor");
  }
  {
    PoolArgs a; a.kernel = {4}; a.stride = {3}; a.padding = {2}; a.dilation = {1};
    run({3, 10}, {3, osz(10, 4, 3, 2, 1, false)}, a, "1d");
  }
  std::printf("fails=%d\n", fails);
  return fails != 0;
}
