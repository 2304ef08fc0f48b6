// CPU sort along one dim: a stable sort of each line (lines split across threads). NaN sorts as
// larger than every number, as PyTorch: last ascending, first descending. No partial selection
// for topk: the op sorts and narrows.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "cpu_backend.h"
#include "line_loops.h"

namespace wick::cpu {

// x, values, indices (..., n, ...) along dim; indices int64.
void CpuBackend::sort(const Tensor& values, const Tensor& indices, const Tensor& x, int64_t dim, bool descending) {
  if (x.numel() == 0) return;
  Shape shape = line_shape(x), xs = line_strides(x), vs = line_strides(values), is = line_strides(indices);
  const int64_t d = x.dim() == 0 ? 0 : dim;
  const size_t du = static_cast<size_t>(d);
  const int64_t n = shape[du], xsd = xs[du], vsd = vs[du], isd = is[du];
  int64_t* ip = static_cast<int64_t*>(indices.data_ptr());
  dispatch_all(x.dtype(), [&]<typename T>() {
    using C = std::conditional_t<std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>, float, T>;
    const T* xp = static_cast<const T*>(x.data_ptr());
    T* vp = static_cast<T*>(values.data_ptr());
    parallel_for_each_line<3>(shape, d, {&xs, &vs, &is}, [&](const std::array<int64_t, 3>& off) {
      std::vector<C> key(static_cast<size_t>(n));
      std::vector<int64_t> order(static_cast<size_t>(n));
      for (int64_t j = 0; j < n; ++j) key[static_cast<size_t>(j)] = static_cast<C>(xp[off[0] + j * xsd]);
      std::iota(order.begin(), order.end(), int64_t{0});
      auto nan = [](C v) {
        if constexpr (std::is_floating_point_v<C>) return std::isnan(v);
        else return false;
      };
      auto less = [&](int64_t a, int64_t b) {
        C ka = key[static_cast<size_t>(a)], kb = key[static_cast<size_t>(b)];
        return descending ? (ka > kb || (nan(ka) && !nan(kb))) : (ka < kb || (nan(kb) && !nan(ka)));
      };
      std::stable_sort(order.begin(), order.end(), less);
      for (int64_t j = 0; j < n; ++j) {
        const int64_t k = order[static_cast<size_t>(j)];
        vp[off[1] + j * vsd] = xp[off[0] + k * xsd];
        ip[off[2] + j * isd] = k;
      }
    });
  });
}

}  // namespace wick::cpu
