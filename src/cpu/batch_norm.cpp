// CPU batch norm kernels over x (N, C, S), parallel over channels: each channel's statistics,
// running-stat update, output, and gradients are computed by one task (no cross-thread sums).
// Statistics accumulate in double. The op layer makes inputs contiguous and checks shapes.
#include <algorithm>
#include <cmath>

#include "cpu_backend.h"
#include "norm_reduce.h"
#include "thread_pool.h"
#include "wick/core/parallel.h"

namespace wick::cpu {

namespace {

struct Dims {
  int64_t n, c, s;
  int64_t count() const { return n * s; }
};

Dims dims_of(const Tensor& x) { return {x.size(0), x.size(1), x.size(2)}; }

// Channels per task so that a task covers at least ~kParallelGrain elements.
int64_t channel_grain(const Dims& d) {
  return std::max<int64_t>(1, kParallelGrain / std::max<int64_t>(d.count(), 1));
}

}  // namespace

void CpuBackend::batch_norm(const Tensor& out, const Tensor& save_mean, const Tensor& save_invstd,
                            const Tensor& x, const Tensor& weight, const Tensor& bias,
                            const Tensor& running_mean, const Tensor& running_var, bool training,
                            double momentum, double eps) {
  const Dims d = dims_of(x);
  dispatch_floating(x.dtype(), "batch_norm", [&]<typename T>() {
    const T* xp = x.data_ptr<T>();
    T* op = out.data_ptr<T>();
    T* smp = save_mean.data_ptr<T>();
    T* sip = save_invstd.data_ptr<T>();
    const T* wp = weight.defined() ? weight.data_ptr<T>() : nullptr;
    const T* bp = bias.defined() ? bias.data_ptr<T>() : nullptr;
    T* rmp = running_mean.defined() ? running_mean.data_ptr<T>() : nullptr;
    T* rvp = running_var.defined() ? running_var.data_ptr<T>() : nullptr;
    const double cnt = static_cast<double>(d.count());
    parallel_for(d.c, channel_grain(d), [&](int64_t cb, int64_t ce) {
      for (int64_t c = cb; c < ce; ++c) {
        double mu, invstd;
        if (training) {
          const T* xc = xp + c * d.s;
          const double s = norm::sum_runs(xc, d.n, d.c * d.s, d.s);
          mu = cnt > 0 ? s / cnt : 0.0;
          const double ss = norm::sum_sq_dev_runs(xc, d.n, d.c * d.s, d.s, mu);
          double var = cnt > 0 ? ss / cnt : 0.0;
          invstd = 1.0 / std::sqrt(var + eps);
          if (rmp)
            rmp[c] = static_cast<T>((1 - momentum) * static_cast<double>(rmp[c]) + momentum * mu);
          if (rvp) {
            double unbiased = cnt > 1 ? ss / (cnt - 1) : ss;
            rvp[c] =
                static_cast<T>((1 - momentum) * static_cast<double>(rvp[c]) + momentum * unbiased);
          }
        } else {
          mu = static_cast<double>(rmp[c]);
          invstd = 1.0 / std::sqrt(static_cast<double>(rvp[c]) + eps);
        }
        smp[c] = static_cast<T>(mu);
        sip[c] = static_cast<T>(invstd);
        // y = x * alpha + beta, alpha = invstd * w, beta = b - mean * alpha
        double alpha = invstd * (wp ? static_cast<double>(wp[c]) : 1.0);
        double beta = (bp ? static_cast<double>(bp[c]) : 0.0) - mu * alpha;
        const T a = static_cast<T>(alpha), b = static_cast<T>(beta);
        for (int64_t i = 0; i < d.n; ++i) {
          const T* xr = xp + (i * d.c + c) * d.s;
          T* yr = op + (i * d.c + c) * d.s;
          for (int64_t j = 0; j < d.s; ++j) yr[j] = xr[j] * a + b;
        }
      }
    });
  });
}

// dbias = sum(dy), dweight = invstd * sum(dy * (x - mean)); dx = w * invstd * (dy - [training:
// mean(dy) + (x - mean) * invstd^2 * mean(dy * (x - mean))]).
void CpuBackend::batch_norm_backward(const Tensor& dx, const Tensor& dweight, const Tensor& dbias,
                                     const Tensor& dy, const Tensor& x, const Tensor& weight,
                                     const Tensor& save_mean, const Tensor& save_invstd,
                                     bool training) {
  const Dims d = dims_of(x);
  dispatch_floating(x.dtype(), "batch_norm_backward", [&]<typename T>() {
    const T* xp = x.data_ptr<T>();
    const T* gp = dy.data_ptr<T>();
    const T* smp = save_mean.data_ptr<T>();
    const T* sip = save_invstd.data_ptr<T>();
    const T* wp = weight.defined() ? weight.data_ptr<T>() : nullptr;
    T* dxp = dx.defined() ? dx.data_ptr<T>() : nullptr;
    T* dwp = dweight.defined() ? dweight.data_ptr<T>() : nullptr;
    T* dbp = dbias.defined() ? dbias.data_ptr<T>() : nullptr;
    const double cnt = static_cast<double>(d.count());
    parallel_for(d.c, channel_grain(d), [&](int64_t cb, int64_t ce) {
      for (int64_t c = cb; c < ce; ++c) {
        const double mu = static_cast<double>(smp[c]), invstd = static_cast<double>(sip[c]);
        double sum_dy = 0, sum_dy_xmu = 0;
        norm::sum_and_dot_dev_runs(gp + c * d.s, xp + c * d.s, d.n, d.c * d.s, d.s, mu, sum_dy,
                                   sum_dy_xmu);
        if (dbp) dbp[c] = static_cast<T>(sum_dy);
        if (dwp) dwp[c] = static_cast<T>(sum_dy_xmu * invstd);
        if (!dxp) continue;
        const double w = wp ? static_cast<double>(wp[c]) : 1.0;
        // dx = k * dy - k * mean_dy - proj * (x - mean)
        const double k = w * invstd;
        const double mean_dy = training && cnt > 0 ? sum_dy / cnt : 0.0;
        const double proj = training && cnt > 0 ? k * invstd * invstd * sum_dy_xmu / cnt : 0.0;
        const T tk = static_cast<T>(k), tc = static_cast<T>(-k * mean_dy + proj * mu),
                tp = static_cast<T>(proj);
        for (int64_t i = 0; i < d.n; ++i) {
          const T* xr = xp + (i * d.c + c) * d.s;
          const T* gr = gp + (i * d.c + c) * d.s;
          T* dr = dxp + (i * d.c + c) * d.s;
          for (int64_t j = 0; j < d.s; ++j) dr[j] = tk * gr[j] - tp * xr[j] + tc;
        }
      }
    });
  });
}

}  // namespace wick::cpu
