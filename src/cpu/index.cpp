// CPU indexing kernels: gather, scatter_ (assign or add), index_select, index_add_, nonzero. Every
// index is validated before memory is touched, so a bad one throws PyTorch's message and nothing
// is read or written out of bounds. Index tensors are int64 (the ops convert int32 first).
#include <type_traits>

#include "cpu_backend.h"
#include "line_loops.h"

namespace wick::cpu {

namespace {

template <typename T>
using compute_t = std::conditional_t<std::is_same_v<T, Half> || std::is_same_v<T, BFloat16>, float, T>;

// a + alpha * b in T (bool: logical or).
template <typename T>
T add_scaled(T a, T b, compute_t<T> alpha) {
  if constexpr (std::is_same_v<T, bool>) return a || (alpha && b);
  else return static_cast<T>(static_cast<compute_t<T>>(a) + alpha * static_cast<compute_t<T>>(b));
}

// Every value of index (any shape/strides) must lie in [0, size) of self's dim.
void check_index_range(const Tensor& index, int64_t size, int64_t dim) {
  WICK_CHECK(index.dtype() == kInt64, "index kernels expect an int64 index, got ", dtype_name(index.dtype()));
  const int64_t* ip = static_cast<const int64_t*>(index.data_ptr());
  Shape shape = line_shape(index), st = line_strides(index);
  const int64_t last = static_cast<int64_t>(shape.size()) - 1;
  const int64_t n = shape.back(), s = st.back();
  for_each_line<1>(shape, last, {&st}, [&](const std::array<int64_t, 1>& off) {
    for (int64_t j = 0; j < n; ++j) {
      int64_t v = ip[off[0] + j * s];
      WICK_CHECK(v >= 0 && v < size, "index ", v, " is out of bounds for dimension ", dim, " with size ", size);
    }
  });
}

// out[p] = x[p with p[dim] = idx[p]] over out's shape; idx_strides may be 0 off `dim`.
template <typename T>
void gather_lines(const Tensor& out, const Tensor& x, int64_t dim, const int64_t* ip, const Shape& idx_strides) {
  T* op = static_cast<T*>(out.data_ptr());
  const T* xp = static_cast<const T*>(x.data_ptr());
  Shape shape = out.sizes().vec(), os = out.strides().vec(), xs = x.strides().vec();
  const size_t du = static_cast<size_t>(dim);
  const int64_t n = shape[du], osd = os[du], xsd = xs[du], isd = idx_strides[du];
  parallel_for_each_line<3>(shape, dim, {&os, &xs, &idx_strides}, [&](const std::array<int64_t, 3>& off) {
    for (int64_t j = 0; j < n; ++j) op[off[0] + j * osd] = xp[off[1] + ip[off[2] + j * isd] * xsd];
  });
}

// self[p with p[dim] = idx[p]] (=, or += alpha *) src[p] over the iteration shape (src's or index's).
template <typename T>
void scatter_lines(const Tensor& self, int64_t dim, const Shape& shape, const int64_t* ip, const Shape& idx_strides,
                   const Tensor& src, bool accumulate, compute_t<T> alpha) {
  T* sp = static_cast<T*>(self.data_ptr());
  const T* srcp = static_cast<const T*>(src.data_ptr());
  Shape ss = self.strides().vec(), rs = src.strides().vec();
  const size_t du = static_cast<size_t>(dim);
  const int64_t n = shape[du], ssd = ss[du], rsd = rs[du], isd = idx_strides[du];
  for_each_line<3>(shape, dim, {&ss, &idx_strides, &rs}, [&](const std::array<int64_t, 3>& off) {
    for (int64_t j = 0; j < n; ++j) {
      T& dst = sp[off[0] + ip[off[1] + j * isd] * ssd];
      const T v = srcp[off[2] + j * rsd];
      dst = accumulate ? add_scaled<T>(dst, v, alpha) : v;
    }
  });
}

// A 1-D index used along `dim` of an ndim iteration: stride 0 everywhere else.
Shape along_dim_strides(const Tensor& index, int64_t ndim, int64_t dim) {
  Shape st(static_cast<size_t>(ndim), 0);
  st[static_cast<size_t>(dim)] = index.dim() == 0 ? 0 : index.stride(0);
  return st;
}

void check_rank(const char* op, const Tensor& a, const Tensor& b) {
  WICK_CHECK(a.dim() >= 1 && a.dim() == b.dim(), op, ": the kernel expects tensors of equal rank >= 1, got ",
             shape_str(a.sizes()), " and ", shape_str(b.sizes()));
}

}  // namespace

// x (..., m, ...), index (..., n, ...) -> out (index's shape), along dim.
void CpuBackend::gather(const Tensor& out, const Tensor& x, int64_t dim, const Tensor& index) {
  check_rank("gather", out, x);
  check_index_range(index, x.size(dim), dim);
  dispatch_all(x.dtype(), [&]<typename T>() {
    gather_lines<T>(out, x, dim, static_cast<const int64_t*>(index.data_ptr()), index.strides().vec());
  });
}

// index and src (src may be larger) walk index's shape; self (..., m, ...) receives along dim.
void CpuBackend::scatter_(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& src, ScatterReduce reduce) {
  check_rank("scatter_", self, index);
  check_index_range(index, self.size(dim), dim);
  dispatch_all(self.dtype(), [&]<typename T>() {
    scatter_lines<T>(self, dim, index.sizes().vec(), static_cast<const int64_t*>(index.data_ptr()), index.strides().vec(),
                     src, reduce == ScatterReduce::Add, compute_t<T>(1));
  });
}

// x (..., m, ...), index (n) -> out (..., n, ...).
void CpuBackend::index_select(const Tensor& out, const Tensor& x, int64_t dim, const Tensor& index) {
  check_rank("index_select", out, x);
  check_index_range(index, x.size(dim), dim);
  dispatch_all(x.dtype(), [&]<typename T>() {
    gather_lines<T>(out, x, dim, static_cast<const int64_t*>(index.data_ptr()), along_dim_strides(index, out.dim(), dim));
  });
}

// self (..., m, ...) += alpha * source (..., n, ...) at index (n) along dim.
void CpuBackend::index_add_(const Tensor& self, int64_t dim, const Tensor& index, const Tensor& source, const Scalar& alpha) {
  check_rank("index_add_", self, source);
  check_index_range(index, self.size(dim), dim);
  dispatch_all(self.dtype(), [&]<typename T>() {
    scatter_lines<T>(self, dim, source.sizes().vec(), static_cast<const int64_t*>(index.data_ptr()),
                     along_dim_strides(index, source.dim(), dim), source, true, alpha.to<compute_t<T>>());
  });
}

namespace {
// f(flat position, multi-index) for each nonzero element of x, in row-major order.
template <typename F>
void for_each_nonzero(const Tensor& x, F&& f) {
  Shape shape = line_shape(x), st = line_strides(x);
  const int64_t last = static_cast<int64_t>(shape.size()) - 1;
  const int64_t n = shape.back(), s = st.back();
  std::vector<int64_t> coord(shape.size(), 0);
  dispatch_all(x.dtype(), [&]<typename T>() {
    const T* xp = static_cast<const T*>(x.data_ptr());
    for_each_line<1>(shape, last, {&st}, [&](const std::array<int64_t, 1>& off) {
      for (int64_t j = 0; j < n; ++j) {
        coord.back() = j;
        if (static_cast<compute_t<T>>(xp[off[0] + j * s]) != compute_t<T>(0)) f(coord);
      }
      // The walk visits lines in row-major order: advance the outer coordinates like it does.
      for (int64_t d = last - 1; d >= 0; --d) {
        const size_t du = static_cast<size_t>(d);
        if (++coord[du] < shape[du]) break;
        coord[du] = 0;
      }
    });
  });
}
}  // namespace

int64_t CpuBackend::count_nonzero(const Tensor& x) {
  if (x.numel() == 0) return 0;
  int64_t n = 0;
  for_each_nonzero(x, [&](const std::vector<int64_t>&) { ++n; });
  return n;
}

// out (count, x.dim()) int64: coordinates of the nonzero elements in row-major order.
void CpuBackend::nonzero(const Tensor& out, const Tensor& x) {
  if (x.numel() == 0 || out.numel() == 0) return;
  WICK_CHECK(out.dtype() == kInt64 && out.dim() == 2 && out.size(1) == x.dim(), "nonzero: bad output tensor ",
             shape_str(out.sizes()));
  int64_t* op = static_cast<int64_t*>(out.data_ptr());
  const int64_t s0 = out.stride(0), s1 = out.stride(1), rows = out.size(0), nd = x.dim();
  int64_t row = 0;
  for_each_nonzero(x, [&](const std::vector<int64_t>& coord) {
    WICK_CHECK(row < rows, "nonzero: more nonzero elements than the output holds");
    for (int64_t d = 0; d < nd; ++d) op[row * s0 + d * s1] = coord[static_cast<size_t>(d)];
    ++row;
  });
}

}  // namespace wick::cpu
