// Shape helpers: printing, strides, dim wrapping and broadcasting with PyTorch's error texts.
#include "wick/core/shape.h"

#include <algorithm>

#include "wick/core/error.h"

namespace wick {

std::string shape_str(IntArrayRef s) {
  std::string r = "[";
  for (size_t i = 0; i < s.size(); ++i) {
    if (i) r += ", ";
    r += std::to_string(s[i]);
  }
  return r + "]";
}

namespace {
[[noreturn]] void numel_overflow(IntArrayRef sizes) {
  WICK_FAIL("numel: integer multiplication overflow (sizes ", shape_str(sizes), ")");
}
}  // namespace

// A shape comes from users, files and expand: sizes whose product does not fit in int64 are an
// error, never a wrapped count. Zero sizes are left out of the check, so that the strides (products
// of the trailing sizes, a zero counting as one) are checked by the same condition.
int64_t numel_of(IntArrayRef sizes) {
  int64_t n = 1;
  bool empty = false;
  for (int64_t s : sizes) {
    if (s == 0) {
      empty = true;
    } else if (__builtin_mul_overflow(n, s, &n)) {
      numel_overflow(sizes);
    }
  }
  return empty ? 0 : n;
}

void contiguous_strides(IntArrayRef sizes, int64_t* out) {
  int64_t acc = 1;
  for (size_t i = sizes.size(); i-- > 0;) {
    out[i] = acc;
    if (__builtin_mul_overflow(acc, std::max<int64_t>(sizes[i], 1), &acc)) numel_overflow(sizes);
  }
}

Shape contiguous_strides(IntArrayRef sizes) {
  Shape st(sizes.size());
  contiguous_strides(sizes, st.data());
  return st;
}

int64_t wrap_dim(int64_t dim, int64_t ndim) {
  int64_t n = std::max<int64_t>(ndim, 1);  // a 0-dim tensor accepts dim 0 and -1, as PyTorch
  WICK_CHECK(dim >= -n && dim < n, "Dimension out of range (expected to be in range of [", -n, ", ", n - 1,
             "], but got ", dim, ")");
  return dim < 0 ? dim + n : dim;
}

Shape broadcast_shapes(IntArrayRef a, IntArrayRef b, const char* op) {
  size_t n = std::max(a.size(), b.size());
  Shape out(n);
  for (size_t i = 0; i < n; ++i) {
    int64_t da = i < n - a.size() ? 1 : a[i - (n - a.size())];
    int64_t db = i < n - b.size() ? 1 : b[i - (n - b.size())];
    WICK_CHECK(da == db || da == 1 || db == 1, op, ": the size of tensor a (", da, ") must match the size of tensor b (",
               db, ") at non-singleton dimension ", i, " (shapes ", shape_str(a), " and ", shape_str(b), ")");
    out[i] = da == 1 ? db : da;
  }
  return out;
}

}  // namespace wick
