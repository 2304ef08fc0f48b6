// CpuBackend's convolution kernels: im2col + GEMM per (sample, group), the transpose (GEMM +
// col2im) for the input gradient, and GEMM over columns for the weight gradient. Work is split over
// the batch when it is large enough (each thread runs single-threaded GEMMs on its own column
// buffer); a small batch runs sample by sample with a parallel GEMM. No autograd, no shape checks
// (src/ops/conv.cpp does those).
#include <algorithm>
#include <vector>

#include "allocator.h"
#include "cpu_backend.h"
#include "gemm.h"
#include "im2col.h"
#include "thread_pool.h"
#include "wick/core/parallel.h"

namespace wick::cpu {
namespace {

// Below this many multiply-adds in a whole call, threads cost more than they save.
constexpr int64_t kParallelMacs = int64_t{1} << 20;

// A scratch buffer from Wick's caching allocator (column matrices are MBs; glibc would map and
// unmap them on every call).
template <typename T>
class Scratch {
 public:
  explicit Scratch(int64_t n) : n_(static_cast<size_t>(std::max<int64_t>(n, 1))) {
    p_ = static_cast<T*>(cpu::allocate(n_ * sizeof(T)));
  }
  ~Scratch() { cpu::release(p_, n_ * sizeof(T)); }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  T* get() const { return p_; }

 private:
  size_t n_;
  T* p_;
};

// The per-group geometry and sizes of one call. x (N, C, *in), w (O, C/G, *k), y (N, O, *out).
struct Plan {
  ConvGeom geom;  // one group: channels = C / G
  int64_t batch = 0, groups = 1, out_channels_per_group = 0;
  int64_t cols_rows() const { return geom.channels * geom.kernel_size(); }  // K
  int64_t x_group() const { return geom.channels * geom.in_size(); }
  int64_t y_group() const { return out_channels_per_group * geom.out_size(); }
  int64_t w_group() const { return out_channels_per_group * cols_rows(); }
  int64_t macs() const { return batch * groups * w_group() * geom.out_size(); }
};

Plan make_plan(const Tensor& x, const Tensor& w, const Tensor& y, const ConvArgs& a) {
  Plan p;
  p.batch = x.size(0);
  p.groups = a.groups;
  p.geom.channels = x.size(1) / a.groups;
  p.out_channels_per_group = w.size(0) / a.groups;
  const int64_t shift = 3 - a.dims;  // spatial dims sit at the end of the 3-d geometry
  for (int64_t d = 0; d < a.dims; ++d) {
    const auto gd = static_cast<size_t>(d + shift), ad = static_cast<size_t>(d);
    p.geom.in[gd] = x.size(2 + d);
    p.geom.kernel[gd] = w.size(2 + d);
    p.geom.out[gd] = y.size(2 + d);
    p.geom.stride[gd] = a.stride[ad];
    p.geom.padding[gd] = a.padding[ad];
    p.geom.dilation[gd] = a.dilation[ad];
  }
  return p;
}

// Runs body(sample, cols, parallel_gemm) for every sample: over the pool by sample when the batch
// can feed every thread, else in order with parallel GEMMs. cols is a per-thread buffer of K * L.
template <typename T, typename F>
void for_each_sample(const Plan& p, F&& body) {
  const int64_t col_elems = p.geom.pointwise() ? 0 : p.cols_rows() * p.geom.out_size();
  const bool big = p.macs() >= kParallelMacs;
  const int64_t threads = get_num_threads();
  if (big && threads > 1 && p.batch >= threads) {
    parallel_for(p.batch, 1, [&](int64_t lo, int64_t hi) {
      Scratch<T> cols(col_elems);
      for (int64_t n = lo; n < hi; ++n) body(n, cols.get(), false);
    });
  } else {
    Scratch<T> cols(col_elems);
    for (int64_t n = 0; n < p.batch; ++n) body(n, cols.get(), big);
  }
}

template <typename T>
MatrixRef<T> rows_major(T* p, int64_t rows, int64_t cols) {
  return {p, rows, cols, cols, 1};
}

template <typename T>
void forward(const Plan& p, T* y, const T* x, const T* w, const T* bias) {
  const int64_t K = p.cols_rows(), L = p.geom.out_size(), Og = p.out_channels_per_group;
  for_each_sample<T>(p, [&](int64_t n, T* cols, bool par) {
    for (int64_t g = 0; g < p.groups; ++g) {
      const T* xg = x + (n * p.groups + g) * p.x_group();
      T* yg = y + (n * p.groups + g) * p.y_group();
      const T* src = xg;
      if (!p.geom.pointwise()) {
        im2col(xg, cols, p.geom);
        src = cols;
      }
      if (bias)
        for (int64_t o = 0; o < Og; ++o) std::fill(yg + o * L, yg + (o + 1) * L, bias[g * Og + o]);
      // y_g (Og, L) = w_g (Og, K) @ cols (K, L) [+ bias]
      gemm_float<T>(rows_major(const_cast<T*>(w + g * p.w_group()), Og, K),
                    rows_major(const_cast<T*>(src), K, L), rows_major(yg, Og, L),
                    bias ? T(1) : T(0), T(1), par);
    }
  });
}

template <typename T>
void backward_input(const Plan& p, T* gx, const T* gy, const T* w) {
  const int64_t K = p.cols_rows(), L = p.geom.out_size(), Og = p.out_channels_per_group;
  for_each_sample<T>(p, [&](int64_t n, T* cols, bool par) {
    for (int64_t g = 0; g < p.groups; ++g) {
      T* gxg = gx + (n * p.groups + g) * p.x_group();
      T* dst = p.geom.pointwise() ? gxg : cols;
      // cols (K, L) = w_g^T (K, Og) @ gy_g (Og, L), then scattered back onto the input.
      gemm_float<T>(rows_major(const_cast<T*>(w + g * p.w_group()), Og, K).t(),
                    rows_major(const_cast<T*>(gy + (n * p.groups + g) * p.y_group()), Og, L),
                    rows_major(dst, K, L), T(0), T(1), par);
      if (!p.geom.pointwise()) col2im(cols, gxg, p.geom);
    }
  });
}

template <typename T>
void backward_weight(const Plan& p, T* gw, const T* gy, const T* x) {
  const int64_t K = p.cols_rows(), L = p.geom.out_size(), Og = p.out_channels_per_group;
  const int64_t w_elems = p.groups * p.w_group();
  const int64_t col_elems = p.geom.pointwise() ? 0 : K * L;
  // Samples are split into fixed chunks, each summing into its own buffer (chunk 0 into gw); the
  // partial sums are added in chunk order, so results do not depend on scheduling.
  const bool big = p.macs() >= kParallelMacs;
  const int64_t chunks = big ? std::clamp<int64_t>(get_num_threads(), 1, p.batch) : 1;
  Scratch<T> partial((chunks - 1) * w_elems);
  if (p.batch == 0) std::fill(gw, gw + w_elems, T(0));
  auto run_chunk = [&](int64_t c, bool par) {
    T* acc = c == 0 ? gw : partial.get() + (c - 1) * w_elems;
    Scratch<T> cols(col_elems);
    const int64_t lo = p.batch * c / chunks, hi = p.batch * (c + 1) / chunks;
    for (int64_t n = lo; n < hi; ++n)
      for (int64_t g = 0; g < p.groups; ++g) {
        const T* xg = x + (n * p.groups + g) * p.x_group();
        const T* src = xg;
        if (!p.geom.pointwise()) {
          im2col(xg, cols.get(), p.geom);
          src = cols.get();
        }
        // gw_g (Og, K) (+)= gy_g (Og, L) @ cols^T (L, K)
        gemm_float<T>(rows_major(const_cast<T*>(gy + (n * p.groups + g) * p.y_group()), Og, L),
                      rows_major(const_cast<T*>(src), K, L).t(),
                      rows_major(acc + g * p.w_group(), Og, K), n == lo ? T(0) : T(1), T(1), par);
      }
    if (hi == lo) std::fill(acc, acc + w_elems, T(0));
  };
  if (chunks > 1) {
    parallel_for(chunks, 1, [&](int64_t lo, int64_t hi) {
      for (int64_t c = lo; c < hi; ++c) run_chunk(c, false);
    });
    for (int64_t c = 1; c < chunks; ++c) {
      const T* src = partial.get() + (c - 1) * w_elems;
      for (int64_t i = 0; i < w_elems; ++i) gw[i] += src[i];
    }
  } else {
    run_chunk(0, big);
  }
}

}  // namespace

void CpuBackend::conv_forward(const Tensor& out, const Tensor& x, const Tensor& w,
                              const Tensor& bias, const ConvArgs& args) {
  Plan p = make_plan(x, w, out, args);
  dispatch_floating(out.dtype(), "conv", [&]<typename T>() {
    forward<T>(p, out.data_ptr<T>(), x.data_ptr<T>(), w.data_ptr<T>(),
               bias.defined() ? bias.data_ptr<T>() : nullptr);
  });
}

void CpuBackend::conv_backward_input(const Tensor& grad_x, const Tensor& grad_out,
                                     const Tensor& w, const ConvArgs& args) {
  Plan p = make_plan(grad_x, w, grad_out, args);
  dispatch_floating(grad_x.dtype(), "conv backward", [&]<typename T>() {
    backward_input<T>(p, grad_x.data_ptr<T>(), grad_out.data_ptr<T>(), w.data_ptr<T>());
  });
}

void CpuBackend::conv_backward_weight(const Tensor& grad_w, const Tensor& grad_out,
                                      const Tensor& x, const ConvArgs& args) {
  Plan p = make_plan(x, grad_w, grad_out, args);
  dispatch_floating(grad_w.dtype(), "conv backward", [&]<typename T>() {
    backward_weight<T>(p, grad_w.data_ptr<T>(), grad_out.data_ptr<T>(), x.data_ptr<T>());
  });
}

}  // namespace wick::cpu
