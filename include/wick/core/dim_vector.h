// DimVector: the sizes or strides a TensorImpl owns, stored inline up to kInline dims (as
// c10::DimVector), so that making a tensor does not also make two small heap vectors.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <vector>

#include "wick/core/shape.h"

namespace wick {

class DimVector {
 public:
  static constexpr size_t kInline = 5;

  DimVector() = default;
  DimVector(IntArrayRef a) { assign(a); }                               // NOLINT
  DimVector(const std::vector<int64_t>& v) { assign(IntArrayRef(v)); }  // NOLINT
  DimVector(std::initializer_list<int64_t> il) { assign(IntArrayRef(il.begin(), il.size())); }
  DimVector(const DimVector& o) { assign(o); }
  DimVector(DimVector&& o) noexcept { take(o); }
  DimVector& operator=(const DimVector& o) {
    if (this != &o) assign(o);
    return *this;
  }
  DimVector& operator=(DimVector&& o) noexcept {
    if (this != &o) {
      release();
      take(o);
    }
    return *this;
  }
  DimVector& operator=(IntArrayRef a) {
    assign(a);
    return *this;
  }
  DimVector& operator=(const std::vector<int64_t>& v) { return *this = IntArrayRef(v); }
  ~DimVector() { release(); }

  const int64_t* data() const { return heap_ ? heap_ : inline_; }
  int64_t* data() { return heap_ ? heap_ : inline_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const int64_t* begin() const { return data(); }
  const int64_t* end() const { return data() + size_; }
  int64_t operator[](size_t i) const { return data()[i]; }
  int64_t& operator[](size_t i) { return data()[i]; }
  int64_t back() const { return data()[size_ - 1]; }
  operator IntArrayRef() const { return {data(), size_}; }  // NOLINT
  std::vector<int64_t> vec() const { return {begin(), end()}; }
  friend bool operator==(const DimVector& a, const DimVector& b) {
    return IntArrayRef(a) == IntArrayRef(b);
  }

 private:
  // Reuses the current buffer when it is large enough (so `a` may view this vector's own data:
  // it then fits).
  void assign(IntArrayRef a) {
    if (a.size() > capacity()) {
      release();
      heap_ = new int64_t[a.size()];
      heap_capacity_ = a.size();
    }
    std::copy(a.begin(), a.end(), data());
    size_ = a.size();
  }
  void take(DimVector& o) noexcept {
    size_ = o.size_;
    if (o.heap_) {
      heap_ = o.heap_;
      heap_capacity_ = o.heap_capacity_;
      o.heap_ = nullptr;
      o.heap_capacity_ = 0;
    } else {
      std::copy(o.inline_, o.inline_ + o.size_, inline_);
    }
    o.size_ = 0;
  }
  void release() noexcept {
    delete[] heap_;
    heap_ = nullptr;
    heap_capacity_ = 0;
  }
  size_t capacity() const { return heap_ ? heap_capacity_ : kInline; }

  int64_t inline_[kInline] = {};
  int64_t* heap_ = nullptr;
  size_t heap_capacity_ = 0;
  size_t size_ = 0;
};

}  // namespace wick
