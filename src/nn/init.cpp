// nn::init: PyTorch's initialisers. Random fills go through the backend's uniform_/normal_ kernels;
// the few that need host-side math (trunc_normal_'s erfinv, orthogonal_'s QR, sparse_'s column
// masks) compute in double on the host and copy the result into the tensor once.
#include "wick/nn/init.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "wick/autograd/grad_mode.h"
#include "wick/backend/backend.h"
#include "wick/ops/creation.h"
#include "wick/cuda.h"

namespace wick::nn::init {
namespace {

Generator& gen_or_default(Generator* gen, Device device) { return gen ? *gen : default_generator(device); }

void fill_uniform(Tensor& t, double a, double b, Generator* gen) {
  if (t.numel() == 0) return;
  backend_for(t).uniform_(t, a, b, gen_or_default(gen, t.device()));
  t.impl()->storage->bump_version();
}

void fill_normal(Tensor& t, double mean, double std, Generator* gen) {
  WICK_CHECK(std >= 0, "normal_ expects std >= 0.0, but found std ", std);
  if (t.numel() == 0) return;
  backend_for(t).normal_(t, mean, std, gen_or_default(gen, t.device()));
  t.impl()->storage->bump_version();
}

// Copies host values (row-major, t's shape) into t.
void copy_from_host(Tensor& t, const std::vector<double>& values) {
  Tensor src = tensor(values, {.dtype = kFloat64}).view(t.sizes());
  t.copy_(src.to(t.device(), t.dtype()));
}

// Inverse error function: a rational first guess refined by Newton steps on erf (double accuracy).
double erfinv(double y) {
  if (y <= -1) return -INFINITY;
  if (y >= 1) return INFINITY;
  double w = -std::log((1.0 - y) * (1.0 + y)), x;
  if (w < 5.0) {
    w -= 2.5;
    double p = 2.81022636e-08;
    for (double c : {3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087, -0.00125372503,
                     -0.00417768164, 0.246640727, 1.50140941})
      p = c + p * w;
    x = p * y;
  } else {
    w = std::sqrt(w) - 3.0;
    double p = -0.000200214257;
    for (double c : {0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613,
                     0.00943887047, 1.00167406, 2.83297682})
      p = c + p * w;
    x = p * y;
  }
  const double k2_sqrtpi = 2.0 / std::sqrt(M_PI);
  for (int i = 0; i < 3; ++i) x -= (std::erf(x) - y) / (k2_sqrtpi * std::exp(-x * x));
  return x;
}

double fan_for_mode(const Tensor& t, const std::string& mode) {
  WICK_CHECK(mode == "fan_in" || mode == "fan_out", "Mode ", mode,
             " not supported, please use one of fan_in, fan_out");
  auto [fan_in, fan_out] = calculate_fan_in_and_fan_out(t);
  return static_cast<double>(mode == "fan_in" ? fan_in : fan_out);
}

}  // namespace

double calculate_gain(const std::string& nonlinearity, std::optional<double> param) {
  static const char* kLinear[] = {"linear",           "conv1d",           "conv2d",
                                  "conv3d",           "conv_transpose1d", "conv_transpose2d",
                                  "conv_transpose3d", "sigmoid"};
  for (const char* n : kLinear)
    if (nonlinearity == n) return 1.0;
  if (nonlinearity == "tanh") return 5.0 / 3.0;
  if (nonlinearity == "relu") return std::sqrt(2.0);
  if (nonlinearity == "leaky_relu") {
    double slope = param.value_or(0.01);
    return std::sqrt(2.0 / (1.0 + slope * slope));
  }
  if (nonlinearity == "selu") return 3.0 / 4.0;
  WICK_FAIL("Unsupported nonlinearity ", nonlinearity);
}

std::pair<int64_t, int64_t> calculate_fan_in_and_fan_out(const Tensor& t) {
  WICK_CHECK(t.dim() >= 2,
             "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
  int64_t receptive = 1;
  for (int64_t d = 2; d < t.dim(); ++d) receptive *= t.size(d);
  return {t.size(1) * receptive, t.size(0) * receptive};
}

Tensor uniform_(Tensor t, double a, double b, Generator* gen) {
  NoGradGuard ng;
  fill_uniform(t, a, b, gen);
  return t;
}

Tensor normal_(Tensor t, double mean, double std, Generator* gen) {
  NoGradGuard ng;
  fill_normal(t, mean, std, gen);
  return t;
}

// PyTorch's method: uniform on [cdf(a), cdf(b)] mapped through the inverse normal cdf, then
// clamped.
Tensor trunc_normal_(Tensor t, double mean, double std, double a, double b, Generator* gen) {
  NoGradGuard ng;
  if (t.numel() == 0) return t;
  auto norm_cdf = [](double x) { return (1.0 + std::erf(x / std::sqrt(2.0))) / 2.0; };
  double l = norm_cdf((a - mean) / std), u = norm_cdf((b - mean) / std);
  Tensor draw = empty(t.sizes(), {.dtype = kFloat64});
  fill_uniform(draw, 2 * l - 1, 2 * u - 1, gen);
  std::vector<double> v = draw.tolist<double>();
  for (double& x : v) x = std::clamp(erfinv(x) * std * std::sqrt(2.0) + mean, a, b);
  copy_from_host(t, v);
  return t;
}

Tensor constant_(Tensor t, double val) {
  NoGradGuard ng;
  t.fill_(val);
  return t;
}
Tensor ones_(Tensor t) { return constant_(std::move(t), 1.0); }
Tensor zeros_(Tensor t) { return constant_(std::move(t), 0.0); }

Tensor eye_(Tensor t) {
  WICK_CHECK(t.dim() == 2, "Only tensors with 2 dimensions are supported");
  NoGradGuard ng;
  t.copy_(eye(t.size(0), t.size(1), {.dtype = t.dtype(), .device = t.device()}));
  return t;
}

// weight (out, in, k...) = 1 at the spatial centre where out % out_per_group == in, per group.
Tensor dirac_(Tensor t, int64_t groups) {
  int64_t dims = t.dim();
  WICK_CHECK(dims >= 3 && dims <= 5, "Only tensors with 3, 4, or 5 dimensions are supported");
  WICK_CHECK(groups > 0 && t.size(0) % groups == 0, "dim 0 must be divisible by groups");
  NoGradGuard ng;
  int64_t out_per_group = t.size(0) / groups;
  int64_t min_dim = std::min(out_per_group, t.size(1));
  std::vector<double> v(static_cast<size_t>(t.numel()), 0.0);
  Shape strides = contiguous_strides(t.sizes());
  int64_t centre = 0;
  for (int64_t d = 2; d < dims; ++d) centre += (t.size(d) / 2) * strides[static_cast<size_t>(d)];
  for (int64_t g = 0; g < groups; ++g)
    for (int64_t d = 0; d < min_dim; ++d)
      v[static_cast<size_t>((g * out_per_group + d) * strides[0] + d * strides[1] + centre)] = 1.0;
  copy_from_host(t, v);
  return t;
}

Tensor xavier_uniform_(Tensor t, double gain, Generator* gen) {
  auto [fan_in, fan_out] = calculate_fan_in_and_fan_out(t);
  double std = gain * std::sqrt(2.0 / static_cast<double>(fan_in + fan_out));
  double a = std::sqrt(3.0) * std;
  return uniform_(std::move(t), -a, a, gen);
}

Tensor xavier_normal_(Tensor t, double gain, Generator* gen) {
  auto [fan_in, fan_out] = calculate_fan_in_and_fan_out(t);
  double std = gain * std::sqrt(2.0 / static_cast<double>(fan_in + fan_out));
  return normal_(std::move(t), 0.0, std, gen);
}

Tensor kaiming_uniform_(Tensor t, KaimingOptions opts, Generator* gen) {
  if (t.numel() == 0) return t;
  double fan = fan_for_mode(t, opts.mode);
  double bound = std::sqrt(3.0) * calculate_gain(opts.nonlinearity, opts.a) / std::sqrt(fan);
  return uniform_(std::move(t), -bound, bound, gen);
}

Tensor kaiming_normal_(Tensor t, KaimingOptions opts, Generator* gen) {
  if (t.numel() == 0) return t;
  double fan = fan_for_mode(t, opts.mode);
  return normal_(std::move(t), 0.0, calculate_gain(opts.nonlinearity, opts.a) / std::sqrt(fan),
                 gen);
}

// Q of a Gaussian (rows, cols) matrix, by modified Gram-Schmidt run twice (orthogonal to double
// rounding); its R has a positive diagonal, which is the sign convention PyTorch's d.sign()
// enforces.
Tensor orthogonal_(Tensor t, double gain, Generator* gen) {
  WICK_CHECK(t.dim() >= 2, "Only tensors with 2 or more dimensions are supported");
  if (t.numel() == 0) return t;
  NoGradGuard ng;
  int64_t rows = t.size(0), cols = t.numel() / rows;
  Tensor draw = empty({rows, cols}, {.dtype = kFloat64});
  fill_normal(draw, 0.0, 1.0, gen);
  bool wide = rows < cols;
  if (wide) draw = draw.t().contiguous();
  int64_t m = draw.size(0), n = draw.size(1);  // m >= n: orthonormalise the n columns
  std::vector<double> a = draw.tolist<double>();
  auto at = [&](int64_t i, int64_t j) -> double& { return a[static_cast<size_t>(i * n + j)]; };
  for (int64_t j = 0; j < n; ++j) {
    for (int pass = 0; pass < 2; ++pass) {
      for (int64_t k = 0; k < j; ++k) {
        double dot = 0;
        for (int64_t i = 0; i < m; ++i) dot += at(i, k) * at(i, j);
        for (int64_t i = 0; i < m; ++i) at(i, j) -= dot * at(i, k);
      }
    }
    double norm = 0;
    for (int64_t i = 0; i < m; ++i) norm += at(i, j) * at(i, j);
    norm = std::sqrt(norm);
    for (int64_t i = 0; i < m; ++i) at(i, j) /= norm;
  }
  std::vector<double> q(a.size());
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j)
      q[static_cast<size_t>(wide ? j * m + i : i * n + j)] = at(i, j) * gain;
  copy_from_host(t, q);
  return t;
}

Tensor sparse_(Tensor t, double sparsity, double std, Generator* gen) {
  WICK_CHECK(t.dim() == 2, "Only tensors with 2 dimensions are supported");
  NoGradGuard ng;
  int64_t rows = t.size(0), cols = t.size(1);
  auto num_zeros = static_cast<int64_t>(std::ceil(sparsity * static_cast<double>(rows)));
  Tensor draw = empty({rows, cols}, {.dtype = kFloat64});
  fill_normal(draw, 0.0, std, gen);
  std::vector<double> v = draw.tolist<double>();
  for (int64_t c = 0; c < cols; ++c) {
    std::vector<int64_t> perm = randperm(rows, {}, gen).tolist<int64_t>();
    for (int64_t k = 0; k < num_zeros && k < rows; ++k)
      v[static_cast<size_t>(perm[static_cast<size_t>(k)] * cols + c)] = 0.0;
  }
  copy_from_host(t, v);
  return t;
}

}  // namespace wick::nn::init
