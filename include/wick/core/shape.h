// IntArrayRef: a borrowed list of int64 (sizes, strides, dims) that accepts {2, 3}, a std::vector
// or a single integer, like c10::IntArrayRef. Shape is the owning form. Plus small shape helpers.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <ostream>
#include <span>
#include <string>
#include <vector>

namespace wick {

using Shape = std::vector<int64_t>;

class IntArrayRef {
 public:
  IntArrayRef() = default;
  IntArrayRef(const int64_t& one) : data_(&one), size_(1) {}                   // NOLINT
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winit-list-lifetime"
  // Borrowing the list is safe for the call it is an argument of, which is how IntArrayRef is used.
  IntArrayRef(std::initializer_list<int64_t> il) : data_(il.begin()), size_(il.size()) {}  // NOLINT
#pragma GCC diagnostic pop
  IntArrayRef(const std::vector<int64_t>& v) : data_(v.data()), size_(v.size()) {}  // NOLINT
  IntArrayRef(const int64_t* data, size_t n) : data_(data), size_(n) {}
  IntArrayRef(std::span<const int64_t> s) : data_(s.data()), size_(s.size()) {}  // NOLINT

  const int64_t* begin() const { return data_; }
  const int64_t* end() const { return data_ + size_; }
  const int64_t* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  int64_t operator[](size_t i) const { return data_[i]; }
  int64_t back() const { return data_[size_ - 1]; }
  std::vector<int64_t> vec() const { return {begin(), end()}; }
  // A plain loop: shapes have a handful of dims, too few to pay for a call to memcmp.
  bool equals(IntArrayRef o) const {
    if (size_ != o.size_) return false;
    for (size_t i = 0; i < size_; ++i)
      if (data_[i] != o.data_[i]) return false;
    return true;
  }
  friend bool operator==(IntArrayRef a, IntArrayRef b) { return a.equals(b); }

 private:
  const int64_t* data_ = nullptr;
  size_t size_ = 0;
};

// "[2, 3]" as torch.Size prints inside error messages.
std::string shape_str(IntArrayRef s);
inline std::ostream& operator<<(std::ostream& os, IntArrayRef s) { return os << shape_str(s); }
// The product of the sizes; throws "numel: integer multiplication overflow" when the non-zero
// sizes multiply past int64 (as do both contiguous_strides).
int64_t numel_of(IntArrayRef sizes);
Shape contiguous_strides(IntArrayRef sizes);
// The same, written to out[0 .. sizes.size()) (TensorImpl fills its inline strides with it).
void contiguous_strides(IntArrayRef sizes, int64_t* out);
// Wraps a possibly negative dim into [0, ndim); throws PyTorch's IndexError text when out of range.
int64_t wrap_dim(int64_t dim, int64_t ndim);
// Broadcast two shapes (numpy rules); throws naming `op` when they do not broadcast.
Shape broadcast_shapes(IntArrayRef a, IntArrayRef b, const char* op = "broadcast");

}  // namespace wick
