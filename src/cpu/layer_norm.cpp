// CPU layer norm kernels: forward normalizes each row of (M, N) with its own mean and 1/std;
// backward gives dx row by row and dweight/dbias column block by column block (no per-thread
// partial buffers). Statistics accumulate in double. Inputs are contiguous; the op makes them so.
#include <algorithm>
#include <cmath>
#include <vector>

#include "cpu_backend.h"
#include "norm_reduce.h"
#include "thread_pool.h"
#include "wick/core/parallel.h"

namespace wick::cpu {

namespace {
// Rows (or columns) per task so that one task touches at least ~kParallelGrain elements.
int64_t grain_for(int64_t per_item) {
  return std::max<int64_t>(1, kParallelGrain / std::max<int64_t>(per_item, 1));
}
}  // namespace

// x, out (M, N); mean, rstd (M); weight, bias (N) or undefined.
void CpuBackend::layer_norm(const Tensor& out, const Tensor& mean, const Tensor& rstd,
                            const Tensor& x, const Tensor& weight, const Tensor& bias, double eps) {
  const int64_t M = x.size(0), N = x.size(1);
  dispatch_floating(x.dtype(), "layer_norm", [&]<typename T>() {
    const T* xp = x.data_ptr<T>();
    T* op = out.data_ptr<T>();
    T* mp = mean.data_ptr<T>();
    T* rp = rstd.data_ptr<T>();
    const T* wp = weight.defined() ? weight.data_ptr<T>() : nullptr;
    const T* bp = bias.defined() ? bias.data_ptr<T>() : nullptr;
    parallel_for(M, grain_for(N), [&](int64_t b, int64_t e) {
      for (int64_t i = b; i < e; ++i) {
        const T* xr = xp + i * N;
        T* yr = op + i * N;
        double mu = N > 0 ? norm::sum_runs(xr, 1, N, N) / static_cast<double>(N) : 0.0;
        double ss = norm::sum_sq_dev_runs(xr, 1, N, N, mu);
        double var = N > 0 ? ss / static_cast<double>(N) : 0.0;
        double r = 1.0 / std::sqrt(var + eps);
        mp[i] = static_cast<T>(mu);
        rp[i] = static_cast<T>(r);
        const T tm = static_cast<T>(mu), tr = static_cast<T>(r);
        for (int64_t j = 0; j < N; ++j) {
          T v = (xr[j] - tm) * tr;
          if (wp) v *= wp[j];
          if (bp) v += bp[j];
          yr[j] = v;
        }
      }
    });
  });
}

// dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)), dxhat = dy * weight;
// dweight = sum_rows(dy * xhat), dbias = sum_rows(dy).
void CpuBackend::layer_norm_backward(const Tensor& dx, const Tensor& dweight, const Tensor& dbias,
                                     const Tensor& dy, const Tensor& x, const Tensor& mean,
                                     const Tensor& rstd, const Tensor& weight) {
  const int64_t M = x.size(0), N = x.size(1);
  dispatch_floating(x.dtype(), "layer_norm_backward", [&]<typename T>() {
    const T* xp = x.data_ptr<T>();
    const T* gp = dy.data_ptr<T>();
    const T* mp = mean.data_ptr<T>();
    const T* rp = rstd.data_ptr<T>();
    const T* wp = weight.defined() ? weight.data_ptr<T>() : nullptr;
    if (dx.defined()) {
      T* dp = dx.data_ptr<T>();
      parallel_for(M, grain_for(N), [&](int64_t b, int64_t e) {
        std::vector<T> gw(wp ? static_cast<size_t>(N) : 0);  // dy * weight for one row
        for (int64_t i = b; i < e; ++i) {
          const T* xr = xp + i * N;
          const T* gr = gp + i * N;
          if (wp) {
            for (int64_t j = 0; j < N; ++j) gw[static_cast<size_t>(j)] = gr[j] * wp[j];
            gr = gw.data();
          }
          const T mu = mp[i], r = rp[i];
          // s1 = sum(dxhat), s2 = sum(dxhat * xhat) = r * sum(dxhat * (x - mu))
          double s1 = 0, s2 = 0;
          norm::sum_and_dot_dev_runs(gr, xr, 1, N, N, static_cast<double>(mu), s1, s2);
          s2 *= static_cast<double>(r);
          const T a = static_cast<T>(s1 / static_cast<double>(N)),
                  c = static_cast<T>(s2 / static_cast<double>(N));
          T* dr = dp + i * N;
          for (int64_t j = 0; j < N; ++j) dr[j] = r * (gr[j] - a - (xr[j] - mu) * r * c);
        }
      });
    }
    if (!dweight.defined() && !dbias.defined()) return;
    T* dwp = dweight.defined() ? dweight.data_ptr<T>() : nullptr;
    T* dbp = dbias.defined() ? dbias.data_ptr<T>() : nullptr;
    // Column blocks: each task sums all rows for its columns, in double.
    parallel_for(N, std::max<int64_t>(16, grain_for(M)), [&](int64_t b, int64_t e) {
      std::vector<double> aw(static_cast<size_t>(e - b), 0.0), ab(static_cast<size_t>(e - b), 0.0);
      for (int64_t i = 0; i < M; ++i) {
        const T* xr = xp + i * N;
        const T* gr = gp + i * N;
        const T mu = mp[i], r = rp[i];
        for (int64_t j = b; j < e; ++j) {
          aw[static_cast<size_t>(j - b)] += static_cast<double>(gr[j] * ((xr[j] - mu) * r));
          ab[static_cast<size_t>(j - b)] += static_cast<double>(gr[j]);
        }
      }
      for (int64_t j = b; j < e; ++j) {
        if (dwp) dwp[j] = static_cast<T>(aw[static_cast<size_t>(j - b)]);
        if (dbp) dbp[j] = static_cast<T>(ab[static_cast<size_t>(j - b)]);
      }
    });
  });
}

}  // namespace wick::cpu
