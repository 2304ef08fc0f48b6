// Activation modules (torch.nn.ReLU ... GLU, PReLU): each holds its PyTorch arguments, forwards to
// nn::functional, and prints as print(module) does in PyTorch. Float settings are Scalars so that
// an integral value prints as Python would print the int (Softplus(beta=1, threshold=20)). The
// softmax family lives in softmax.h.
#pragma once

#include <optional>
#include <string>

#include "wick/nn/functional/activation.h"
#include "wick/nn/modules/common.h"

namespace wick::nn {

namespace detail {
// ", inplace=True" (or "inplace=True" when it is the only setting), "" when false.
inline std::string inplace_repr(bool inplace, bool first) {
  return inplace ? (first ? "inplace=True" : ", inplace=True") : "";
}
}  // namespace detail

// ---- no settings ----
#define WICK_PLAIN_ACTIVATION(Name, fn)                                   \
  struct Name##Impl : Module {                                            \
    Name##Impl() : Module(#Name) {}                                       \
    Tensor forward(const Tensor& input) { return functional::fn(input); } \
  };                                                                      \
  WICK_MODULE(Name)

WICK_PLAIN_ACTIVATION(Sigmoid, sigmoid);
WICK_PLAIN_ACTIVATION(LogSigmoid, logsigmoid);
WICK_PLAIN_ACTIVATION(Tanh, tanh);
WICK_PLAIN_ACTIVATION(Tanhshrink, tanhshrink);
WICK_PLAIN_ACTIVATION(Softsign, softsign);
#undef WICK_PLAIN_ACTIVATION

// ---- only `inplace` ----
struct InplaceOptions {
  bool inplace = false;
};
using ReLUOptions = InplaceOptions;
using ReLU6Options = InplaceOptions;
using SELUOptions = InplaceOptions;
using SiLUOptions = InplaceOptions;
using MishOptions = InplaceOptions;
using HardsigmoidOptions = InplaceOptions;
using HardswishOptions = InplaceOptions;

// prints_inplace: PyTorch's Hardsigmoid/Hardswish have no extra_repr, so they never print it.
#define WICK_INPLACE_ACTIVATION(Name, fn, prints_inplace)                                         \
  struct Name##Impl : Module {                                                                    \
    explicit Name##Impl(InplaceOptions options = {}) : Module(#Name), inplace(options.inplace) {} \
    Tensor forward(const Tensor& input) { return functional::fn(input, inplace); }                \
    std::string extra_repr() const override {                                                     \
      return prints_inplace ? detail::inplace_repr(inplace, true) : "";                           \
    }                                                                                             \
    bool inplace;                                                                                 \
  };                                                                                              \
  WICK_OPTIONS_MODULE(Name, InplaceOptions)

WICK_INPLACE_ACTIVATION(ReLU, relu, true);
WICK_INPLACE_ACTIVATION(ReLU6, relu6, true);
WICK_INPLACE_ACTIVATION(SELU, selu, true);
WICK_INPLACE_ACTIVATION(SiLU, silu, true);
WICK_INPLACE_ACTIVATION(Mish, mish, true);
WICK_INPLACE_ACTIVATION(Hardsigmoid, hardsigmoid, false);
WICK_INPLACE_ACTIVATION(Hardswish, hardswish, false);
#undef WICK_INPLACE_ACTIVATION

// ---- with settings ----
struct LeakyReLUOptions {
  Scalar negative_slope = 0.01;
  bool inplace = false;
};
struct LeakyReLUImpl : Module {
  explicit LeakyReLUImpl(LeakyReLUOptions o = {})
      : Module("LeakyReLU"), negative_slope(o.negative_slope), inplace(o.inplace) {}
  Tensor forward(const Tensor& input) {
    return functional::leaky_relu(input, negative_slope.to_double(), inplace);
  }
  std::string extra_repr() const override {
    return "negative_slope=" + detail::py_repr(negative_slope) +
           detail::inplace_repr(inplace, false);
  }
  Scalar negative_slope;
  bool inplace;
};
WICK_OPTIONS_MODULE(LeakyReLU, LeakyReLUOptions);

// Random slopes in training mode, their mean in eval mode (functional::rrelu).
struct RReLUOptions {
  Scalar lower = 1.0 / 8;
  Scalar upper = 1.0 / 3;
  bool inplace = false;
};
struct RReLUImpl : Module {
  explicit RReLUImpl(RReLUOptions o = {})
      : Module("RReLU"), lower(o.lower), upper(o.upper), inplace(o.inplace) {}
  Tensor forward(const Tensor& input) {
    return functional::rrelu(input, lower.to_double(), upper.to_double(), is_training(), inplace);
  }
  std::string extra_repr() const override {
    return "lower=" + detail::py_repr(lower) + ", upper=" + detail::py_repr(upper) +
           detail::inplace_repr(inplace, false);
  }
  Scalar lower, upper;
  bool inplace;
};
WICK_OPTIONS_MODULE(RReLU, RReLUOptions);

// ELU and CELU share their settings.
struct ELUOptions {
  Scalar alpha = 1.0;
  bool inplace = false;
};
using CELUOptions = ELUOptions;
struct ELUImpl : Module {
  explicit ELUImpl(ELUOptions o = {}) : Module("ELU"), alpha(o.alpha), inplace(o.inplace) {}
  Tensor forward(const Tensor& input) { return functional::elu(input, alpha.to_double(), inplace); }
  std::string extra_repr() const override {
    return "alpha=" + detail::py_repr(alpha) + detail::inplace_repr(inplace, false);
  }
  Scalar alpha;
  bool inplace;
};
WICK_OPTIONS_MODULE(ELU, ELUOptions);
struct CELUImpl : Module {
  explicit CELUImpl(CELUOptions o = {}) : Module("CELU"), alpha(o.alpha), inplace(o.inplace) {}
  Tensor forward(const Tensor& input) {
    return functional::celu(input, alpha.to_double(), inplace);
  }
  std::string extra_repr() const override {
    return "alpha=" + detail::py_repr(alpha) + detail::inplace_repr(inplace, false);
  }
  Scalar alpha;
  bool inplace;
};
WICK_OPTIONS_MODULE(CELU, CELUOptions);

struct GELUOptions {
  std::string approximate = "none";
};
struct GELUImpl : Module {
  explicit GELUImpl(GELUOptions o = {}) : Module("GELU"), approximate(std::move(o.approximate)) {
    WICK_CHECK(approximate == "none" || approximate == "tanh",
               "GELU: approximate argument must be either none or tanh, got '", approximate, "'");
  }
  Tensor forward(const Tensor& input) { return functional::gelu(input, approximate); }
  std::string extra_repr() const override { return "approximate='" + approximate + "'"; }
  std::string approximate;
};
WICK_OPTIONS_MODULE(GELU, GELUOptions);

struct HardtanhOptions {
  Scalar min_val = -1.0;
  Scalar max_val = 1.0;
  bool inplace = false;
};
struct HardtanhImpl : Module {
  explicit HardtanhImpl(HardtanhOptions o = {})
      : Module("Hardtanh"), min_val(o.min_val), max_val(o.max_val), inplace(o.inplace) {
    WICK_CHECK(max_val.to_double() > min_val.to_double(), "Hardtanh: max_val (",
               max_val.to_double(), ") must be greater than min_val (", min_val.to_double(), ")");
  }
  Tensor forward(const Tensor& input) {
    return functional::hardtanh(input, min_val.to_double(), max_val.to_double(), inplace);
  }
  std::string extra_repr() const override {
    return "min_val=" + detail::py_repr(min_val) + ", max_val=" + detail::py_repr(max_val) +
           detail::inplace_repr(inplace, false);
  }
  Scalar min_val, max_val;
  bool inplace;
};
WICK_OPTIONS_MODULE(Hardtanh, HardtanhOptions);

// Hardshrink and Softshrink print the bare value: Hardshrink(0.5).
struct ShrinkOptions {
  Scalar lambd = 0.5;
};
using HardshrinkOptions = ShrinkOptions;
using SoftshrinkOptions = ShrinkOptions;
struct HardshrinkImpl : Module {
  explicit HardshrinkImpl(ShrinkOptions o = {}) : Module("Hardshrink"), lambd(o.lambd) {}
  Tensor forward(const Tensor& input) { return functional::hardshrink(input, lambd.to_double()); }
  std::string extra_repr() const override { return detail::py_repr(lambd); }
  Scalar lambd;
};
WICK_OPTIONS_MODULE(Hardshrink, ShrinkOptions);
struct SoftshrinkImpl : Module {
  explicit SoftshrinkImpl(ShrinkOptions o = {}) : Module("Softshrink"), lambd(o.lambd) {}
  Tensor forward(const Tensor& input) { return functional::softshrink(input, lambd.to_double()); }
  std::string extra_repr() const override { return detail::py_repr(lambd); }
  Scalar lambd;
};
WICK_OPTIONS_MODULE(Softshrink, ShrinkOptions);

struct SoftplusOptions {
  Scalar beta = 1;
  Scalar threshold = 20;
};
struct SoftplusImpl : Module {
  explicit SoftplusImpl(SoftplusOptions o = {})
      : Module("Softplus"), beta(o.beta), threshold(o.threshold) {}
  Tensor forward(const Tensor& input) {
    return functional::softplus(input, beta.to_double(), threshold.to_double());
  }
  std::string extra_repr() const override {
    return "beta=" + detail::py_repr(beta) + ", threshold=" + detail::py_repr(threshold);
  }
  Scalar beta, threshold;
};
WICK_OPTIONS_MODULE(Softplus, SoftplusOptions);

// nn::Threshold(0.1, 20): y = x where x > threshold, else value.
struct ThresholdOptions {
  bool inplace = false;
};
struct ThresholdImpl : Module {
  ThresholdImpl(Scalar threshold_, Scalar value_, ThresholdOptions o = {})
      : Module("Threshold"), threshold(threshold_), value(value_), inplace(o.inplace) {}
  Tensor forward(const Tensor& input) {
    return functional::threshold(input, threshold.to_double(), value.to_double(), inplace);
  }
  std::string extra_repr() const override {
    return "threshold=" + detail::py_repr(threshold) + ", value=" + detail::py_repr(value) +
           detail::inplace_repr(inplace, false);
  }
  Scalar threshold, value;
  bool inplace;
};
class Threshold : public ModuleHolder<ThresholdImpl> {
 public:
  using ModuleHolder<ThresholdImpl>::ModuleHolder;
  Threshold(Scalar threshold, Scalar value, ThresholdOptions options = {});
};

struct GLUImpl : Module {
  explicit GLUImpl(int64_t dim_ = -1) : Module("GLU"), dim(dim_) {}
  Tensor forward(const Tensor& input) { return functional::glu(input, dim); }
  std::string extra_repr() const override { return "dim=" + std::to_string(dim); }
  int64_t dim;
};
WICK_MODULE(GLU);

// weight (num_parameters) filled with `init`; one slope per channel (dim 1) or one for all.
struct PReLUOptions {
  int64_t num_parameters = 1;
  double init = 0.25;
  std::optional<Device> device = std::nullopt;
  std::optional<DType> dtype = std::nullopt;
};
struct PReLUImpl : Module {
  explicit PReLUImpl(PReLUOptions o = {});
  Tensor forward(const Tensor& input) { return functional::prelu(input, weight); }
  std::string extra_repr() const override {
    return "num_parameters=" + std::to_string(num_parameters);
  }
  int64_t num_parameters;
  Tensor weight;
};
WICK_OPTIONS_MODULE(PReLU, PReLUOptions);

}  // namespace wick::nn
