// Tensor factories.
#include "wick/ops/creation.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "op_utils.h"
#include "wick/cuda.h"

namespace wick {

using namespace ops;

namespace {
DType dtype_or_default(const TensorOptions& o) { return o.dtype.value_or(default_dtype()); }
Device device_or_cpu(const TensorOptions& o) { return o.device.value_or(Device(kCPU)); }
Tensor finish(Tensor t, const TensorOptions& o) {
  if (o.requires_grad) t.requires_grad_(true);
  return t;
}
TensorOptions like(const Tensor& t, TensorOptions o) {
  if (!o.dtype) o.dtype = t.dtype();
  if (!o.device) o.device = t.device();
  return o;
}
}  // namespace

Tensor empty(IntArrayRef size, TensorOptions opts) {
  return finish(new_empty(size, dtype_or_default(opts), device_or_cpu(opts)), opts);
}

Tensor full(IntArrayRef size, const Scalar& fill_value, TensorOptions opts) {
  // torch.full infers the dtype from the fill value when none is given.
  DType dt = opts.dtype.value_or(fill_value.is_floating_point() ? default_dtype() : fill_value.kind());
  Tensor t = new_empty(size, dt, device_or_cpu(opts));
  backend_for(t).fill_(t, fill_value);
  return finish(t, opts);
}

Tensor zeros(IntArrayRef size, TensorOptions opts) {
  opts.dtype = dtype_or_default(opts);
  return full(size, 0, opts);
}
Tensor ones(IntArrayRef size, TensorOptions opts) {
  opts.dtype = dtype_or_default(opts);
  return full(size, 1, opts);
}
Tensor empty_like(const Tensor& t, TensorOptions opts) { return empty(t.sizes(), like(t, opts)); }
Tensor zeros_like(const Tensor& t, TensorOptions opts) { return zeros(t.sizes(), like(t, opts)); }
Tensor ones_like(const Tensor& t, TensorOptions opts) { return ones(t.sizes(), like(t, opts)); }
Tensor full_like(const Tensor& t, const Scalar& v, TensorOptions opts) { return full(t.sizes(), v, like(t, opts)); }
Tensor rand_like(const Tensor& t, TensorOptions opts) { return rand(t.sizes(), like(t, opts)); }
Tensor randn_like(const Tensor& t, TensorOptions opts) { return randn(t.sizes(), like(t, opts)); }

Tensor scalar_tensor(const Scalar& s, TensorOptions opts) {
  // Unlike torch.full, torch.scalar_tensor(3) is float32: the default dtype whatever the kind.
  if (!opts.dtype) opts.dtype = default_dtype();
  return full({}, s, opts);
}

Tensor arange(const Scalar& end, TensorOptions opts) { return arange(0, end, 1, opts); }

Tensor arange(const Scalar& start, const Scalar& end, const Scalar& step, TensorOptions opts) {
  bool integral = !start.is_floating_point() && !end.is_floating_point() && !step.is_floating_point();
  DType dt = opts.dtype.value_or(integral ? kInt64 : default_dtype());
  double s = start.to_double(), e = end.to_double(), st = step.to_double();
  WICK_CHECK(st != 0, "arange: step must be nonzero");
  WICK_CHECK((st > 0 && e >= s) || (st < 0 && e <= s), "arange: upper bound and larger bound inconsistent with step sign");
  int64_t n = static_cast<int64_t>(std::ceil((e - s) / st));
  Tensor t = new_empty({n}, dt, device_or_cpu(opts));
  backend_for(t).arange_(t, s, st);
  return finish(t, opts);
}

Tensor linspace(double start, double end, int64_t steps, TensorOptions opts) {
  WICK_CHECK(steps >= 0, "linspace: number of steps must be non-negative, got ", steps);
  DType dt = dtype_or_default(opts);
  // PyTorch computes a float32 linspace in float (its values differ from the rounded double ones,
  // e.g. the middle of linspace(-1, 1, 7) is -2.98e-08, not 0); other dtypes in double.
  DType compute = dt == kFloat32 ? kFloat32 : kFloat64;
  Tensor t = new_empty({steps}, compute, Device(kCPU));
  dispatch_floating(compute, "linspace", [&]<typename T>() {
    T* p = t.data_ptr<T>();
    const T s = static_cast<T>(start), e = static_cast<T>(end);
    const T step = steps > 1 ? (e - s) / static_cast<T>(steps - 1) : T(0);
    // Fill from both ends, as PyTorch, so the last value is exactly `end`. Explicit fused
    // multiply-adds: PyTorch's vectorised kernel rounds once, and so must every build of Wick
    // (with and without -mfma), or the values differ in the last bit.
    const int64_t half = steps / 2;
    for (int64_t i = 0; i < steps; ++i)
      p[i] = i < half ? std::fma(step, static_cast<T>(i), s) : std::fma(-step, static_cast<T>(steps - 1 - i), e);
    if (steps == 1) p[0] = s;  // a single step is `start` (the loop above would write `end`)
  });
  return finish(t.to(device_or_cpu(opts), dt), opts);
}

Tensor eye(int64_t n, std::optional<int64_t> m, TensorOptions opts) {
  int64_t cols = m.value_or(n);
  WICK_CHECK(n >= 0 && cols >= 0, "eye: n and m must be non-negative, got ", n, " and ", cols);
  Tensor t = zeros({n, cols}, {.dtype = dtype_or_default(opts), .device = device_or_cpu(opts)});
  Tensor diag = raw_view(t, {std::min(n, cols)}, {cols + 1}, 0);
  backend_for(t).fill_(diag, 1);
  return finish(t, opts);
}

Tensor rand(IntArrayRef size, TensorOptions opts, Generator* gen) {
  Tensor t = new_empty(size, dtype_or_default(opts), device_or_cpu(opts));
  backend_for(t).uniform_(t, 0.0, 1.0, gen ? *gen : default_generator(t.device()));
  return finish(t, opts);
}

Tensor randn(IntArrayRef size, TensorOptions opts, Generator* gen) {
  Tensor t = new_empty(size, dtype_or_default(opts), device_or_cpu(opts));
  backend_for(t).normal_(t, 0.0, 1.0, gen ? *gen : default_generator(t.device()));
  return finish(t, opts);
}

Tensor normal(double mean, double std, IntArrayRef size, TensorOptions opts, Generator* gen) {
  WICK_CHECK(std >= 0, "normal expects std >= 0.0, but found std ", std);
  Tensor t = new_empty(size, dtype_or_default(opts), device_or_cpu(opts));
  backend_for(t).normal_(t, mean, std, gen ? *gen : default_generator(t.device()));
  return finish(t, opts);
}

Tensor normal(const Tensor& mean, const Tensor& std, Generator* gen) {
  Tensor z = randn(broadcast_shapes(mean.sizes(), std.sizes(), "normal"), {.dtype = mean.dtype(), .device = mean.device()}, gen);
  NoGradGuard ng;
  return mean.detach() + std.detach() * z;
}

Tensor randint(int64_t low, int64_t high, IntArrayRef size, TensorOptions opts, Generator* gen) {
  WICK_CHECK(high > low, "random_ expects 'from' to be less than 'to', but got from=", low, " >= to=", high);
  Tensor t = new_empty(size, opts.dtype.value_or(kInt64), device_or_cpu(opts));
  backend_for(t).random_(t, low, high, gen ? *gen : default_generator(t.device()));
  return finish(t, opts);
}

Tensor randint(int64_t high, IntArrayRef size, TensorOptions opts, Generator* gen) {
  return randint(0, high, size, opts, gen);
}

Tensor randperm(int64_t n, TensorOptions opts, Generator* gen) {
  WICK_CHECK(n >= 0, "randperm: n must be non-negative, got ", n);
  Generator& g = gen ? *gen : default_generator();
  std::vector<int64_t> perm(static_cast<size_t>(n));
  std::iota(perm.begin(), perm.end(), 0);
  uint64_t base = g.reserve(static_cast<uint64_t>(n));
  for (int64_t i = n - 1; i > 0; --i) {  // Fisher-Yates with the generator's counter stream
    auto w = philox4x32(g.seed(), base + static_cast<uint64_t>(i));
    uint64_t r = ((static_cast<uint64_t>(w[0]) << 32) | w[1]) % static_cast<uint64_t>(i + 1);
    std::swap(perm[static_cast<size_t>(i)], perm[r]);
  }
  return tensor(perm, {.dtype = opts.dtype.value_or(kInt64), .device = device_or_cpu(opts)});
}

Tensor bernoulli(const Tensor& p, Generator* gen) {
  Tensor t = new_empty(p.sizes(), p.dtype(), p.device());
  backend_for(t).bernoulli_(t, p, gen ? *gen : default_generator(t.device()));
  return t;
}

Tensor bernoulli(const Tensor& input, double p, Generator* gen) {
  WICK_CHECK(p >= 0 && p <= 1, "bernoulli expects p to be in [0, 1], but got p=", p);
  Tensor t = new_empty(input.sizes(), input.dtype(), input.device());
  backend_for(t).bernoulli_(t, full({}, p, {.dtype = kFloat64, .device = input.device()}), gen ? *gen : default_generator(t.device()));
  return t;
}

// ---- torch.tensor from nested lists ----

template <typename T>
static std::vector<TensorData> leaves(std::initializer_list<T> l) {
  std::vector<TensorData> v;
  for (const T& x : l) v.emplace_back(x);
  return v;
}

#define WICK_TENSORDATA_LIST(T)                                     \
  TensorData::TensorData(std::initializer_list<T> l) : is_list_(true) { \
    children_ = leaves(l);                                            \
  }
WICK_TENSORDATA_LIST(double)
WICK_TENSORDATA_LIST(float)
WICK_TENSORDATA_LIST(int)
WICK_TENSORDATA_LIST(int64_t)
WICK_TENSORDATA_LIST(bool)
#undef WICK_TENSORDATA_LIST
TensorData::TensorData(std::initializer_list<TensorData> l) : is_list_(true), children_(l) {}

namespace {
void infer(const TensorData& d, size_t depth, Shape& shape, DType& kind, bool& any_kind, std::vector<Scalar>& flat) {
  if (d.is_scalar()) {
    WICK_CHECK(depth == shape.size() || (shape.empty() && depth == 0), "tensor: expected a nested list of depth ",
               shape.size(), ", got a number at depth ", depth);
    kind = any_kind ? promote_types(kind, d.kind()) : d.kind();
    any_kind = true;
    flat.push_back(d.scalar());
    return;
  }
  int64_t n = static_cast<int64_t>(d.children().size());
  if (depth == shape.size()) {
    WICK_CHECK(flat.empty(), "tensor: ragged nested list (expected a number at depth ", depth, ")");
    shape.resize(depth + 1, n);
  } else {
    WICK_CHECK(shape.at(depth) == n, "tensor: expected sequence of length ", shape[depth], " at dim ", depth, " (got ", n, ")");
  }
  for (const auto& c : d.children()) infer(c, depth + 1, shape, kind, any_kind, flat);
}
}  // namespace

Tensor tensor(const TensorData& data, TensorOptions opts) {
  Shape shape;
  DType kind = kFloat64;
  bool any_kind = false;
  std::vector<Scalar> flat;
  infer(data, 0, shape, kind, any_kind, flat);
  WICK_CHECK(static_cast<int64_t>(flat.size()) == numel_of(shape), "tensor: ragged nested list of shape ", shape_str(shape));
  DType dt = opts.dtype.value_or(!any_kind || kind == kFloat64 ? default_dtype() : kind);
  Tensor host = new_empty(shape, kFloat64, Device(kCPU));
  double* p = host.data_ptr<double>();
  bool all_exact = true;
  for (size_t i = 0; i < flat.size(); ++i) p[i] = flat[i].to_double();
  Tensor out;
  if (!wick::is_floating_point(dt) && dt != kBool) {
    // Integers go through int64 so large values survive.
    Tensor ih = new_empty(shape, kInt64, Device(kCPU));
    int64_t* q = ih.data_ptr<int64_t>();
    for (size_t i = 0; i < flat.size(); ++i) q[i] = flat[i].is_floating_point() ? static_cast<int64_t>(flat[i].to_double()) : flat[i].to_long();
    out = ih.to(device_or_cpu(opts), dt, /*copy=*/true);
  } else {
    out = host.to(device_or_cpu(opts), dt, /*copy=*/true);
  }
  (void)all_exact;
  return finish(out, opts);
}

Tensor from_blob(void* data, IntArrayRef sizes, IntArrayRef strides, TensorOptions opts, std::function<void(void*)> deleter) {
  DType dt = dtype_or_default(opts);
  Device dev = device_or_cpu(opts);
  WICK_CHECK(sizes.size() == strides.size(), "from_blob: sizes ", shape_str(sizes), " and strides ", shape_str(strides),
             " differ in length");
  int64_t span = 1;
  for (size_t i = 0; i < sizes.size(); ++i) span += (sizes[i] - 1) * strides[i];
  auto st = wick::detail::make_pooled<StorageImpl>(
      data, static_cast<size_t>(std::max<int64_t>(span, 0)) * itemsize(dt), dev,
      deleter ? StorageImpl::Deleter(std::move(deleter)) : StorageImpl::Deleter());
  Tensor t(wick::detail::make_pooled<TensorImpl>(std::move(st), 0, sizes, strides, dt));
  return finish(t, opts);
}

Tensor from_blob(void* data, IntArrayRef sizes, TensorOptions opts, std::function<void(void*)> deleter) {
  return from_blob(data, sizes, contiguous_strides(sizes), opts, std::move(deleter));
}

}  // namespace wick
