// Tensor printing against repr(t) from PyTorch 1.13 (tests/golden/printing.txt, written by
// tools/gen_print_goldens.py). Each case below rebuilds the same tensor as the Python script.
#include "wick/ops/print.h"

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <sstream>

#include "wick/wick.h"

namespace wick {
namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// name -> exact repr text, from the golden file ("=== name" lines separate the cases).
std::map<std::string, std::string> load_printing_goldens() {
  const std::string path = std::string(WICK_GOLDEN_DIR) + "/printing.txt";
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::map<std::string, std::string> out;
  std::string line, name, text;
  auto flush = [&] {
    if (!name.empty()) out[name] = text.substr(0, text.empty() ? 0 : text.size() - 1);
  };
  while (std::getline(in, line)) {
    if (line.rfind("#", 0) == 0 && name.empty()) continue;
    if (line.rfind("=== ", 0) == 0) {
      flush();
      name = line.substr(4);
      text.clear();
    } else {
      text += line + "\n";
    }
  }
  flush();
  return out;
}

using Builder = std::function<Tensor()>;

// The same inputs as tools/gen_print_goldens.py, in the same order.
std::map<std::string, Builder> cases() {
  std::map<std::string, Builder> c;
  c["float_fixed"] = [] { return tensor({1.5, -2.25, 3.0}); };
  c["float_int_mode"] = [] { return tensor({1.0, 2.0, 3.0}); };
  c["float_int_mode_widths"] = [] { return tensor({-1.0, 0.0, 100.0}); };
  c["float_zeros"] = [] { return zeros({3}); };
  c["float_fraction"] = [] { return arange(6.0) / 7; };
  c["float_ratio_under_1000"] = [] { return tensor({0.125, 99.5}); };
  c["sci_ratio"] = [] { return tensor({1e-3, 1.5, 2.0}); };
  c["sci_small_min"] = [] { return tensor({5e-5, 2.5e-4}); };
  c["sci_int_mode_large"] = [] { return tensor({1e9, 1.0}); };
  c["sci_int_mode_ratio"] = [] { return tensor({1.0, 5000.0}); };
  c["int_mode_wide_no_sci"] = [] { return tensor({12345678.0, 99999.0}); };
  c["sci_negative"] = [] { return tensor({{-1e-5, 1e5}, {3.25, -0.5}}); };
  c["sci_huge"] = [] { return tensor({1.5e10, -2.5}); };
  c["nan_inf_fixed"] = [] { return tensor({kNan, kInf, -kInf, 1.5}); };
  c["nan_inf_int_mode"] = [] { return tensor({kNan, 1.0, -kInf}); };
  c["nan_inf_sci"] = [] { return tensor({kNan, 1e-6, kInf}); };
  c["all_nan"] = [] { return tensor({kNan, kNan}); };
  c["neg_zero_fixed"] = [] { return tensor({-0.0, 0.0, 1.5}); };
  c["neg_zero_int_mode"] = [] { return tensor({-0.0, 1.0}); };
  c["scalar_float"] = [] { return tensor(3.5); };
  c["scalar_int_mode"] = [] { return tensor(3.0); };
  c["scalar_int64"] = [] { return tensor(7); };
  c["scalar_bool"] = [] { return tensor(true); };
  c["scalar_nan"] = [] { return tensor(kNan); };
  c["scalar_sci"] = [] { return tensor(1.25e-7); };
  c["scalar_float64"] = [] { return tensor(-0.5, {.dtype = kFloat64}); };
  c["scalar_int32"] = [] { return tensor(-12, {.dtype = kInt32}); };
  c["empty_1d"] = [] { return tensor(TensorData(std::initializer_list<double>{})); };
  c["empty_0x3"] = [] { return zeros({0, 3}); };
  c["empty_int64"] = [] { return zeros({0}, {.dtype = kInt64}); };
  c["empty_2x0x3_float64"] = [] { return zeros({2, 0, 3}, {.dtype = kFloat64}); };
  c["empty_bool_3x0"] = [] { return zeros({3, 0}, {.dtype = kBool}); };
  c["int64_2d"] = [] { return arange(12).reshape({3, 4}); };
  c["int64_negative_wide"] = [] {
    return tensor({int64_t{123456789012}, int64_t{-1}, int64_t{0}});
  };
  c["int32"] = [] { return arange(-5, 5, 1, {.dtype = kInt32}); };
  c["uint8"] = [] { return tensor({0, 255, 7}, {.dtype = kUInt8}); };
  c["bool_1d"] = [] { return tensor({true, false, true}); };
  c["bool_2d"] = [] { return tensor({{true, false}, {false, false}}); };
  c["float64_2d"] = [] { return arange(6, {.dtype = kFloat64}).reshape({2, 3}) / 3; };
  c["float16"] = [] { return tensor({0.1, 2.5, -3.0}).to(kFloat16); };
  c["bfloat16"] = [] { return tensor({0.1, 2.5, -3.0}).to(kBFloat16); };
  c["float16_int_mode"] = [] { return tensor({1.0, 2048.0}).to(kFloat16); };
  c["float_3d"] = [] { return arange(24.0).reshape({2, 3, 4}); };
  c["int_4d"] = [] { return arange(48).reshape({2, 2, 3, 4}); };
  c["wrap_float_1d"] = [] { return arange(30.0) / 7; };
  c["wrap_int_1d"] = [] { return arange(50); };
  c["wrap_float_2d"] = [] { return arange(40.0).reshape({2, 20}) / 3; };
  c["transposed"] = [] { return arange(6.0).reshape({2, 3}).t(); };
  c["summarize_1d"] = [] { return arange(2000.0); };
  c["summarize_int_1001"] = [] { return arange(1001); };
  c["summarize_2d"] = [] { return arange(2000).reshape({40, 50}); };
  c["summarize_3d"] = [] { return arange(1120.0).reshape({7, 8, 20}) / 3; };
  c["summarize_inner_only"] = [] { return arange(1010.0).reshape({1, 1010}); };
  c["summarize_sci"] = [] { return arange(1200.0) * 1000; };
  c["not_summarized_1000"] = [] { return zeros({1000}, {.dtype = kInt64}); };
  c["requires_grad"] = [] { return tensor({1.0, 2.0}, {.requires_grad = true}); };
  c["grad_fn_add"] = [] {
    Tensor x = tensor({1.0, 2.0}, {.requires_grad = true});
    return x + x;
  };
  c["grad_fn_mul"] = [] { return tensor({1.0, 2.0}, {.requires_grad = true}) * 3; };
  c["grad_fn_sum"] = [] {
    Tensor x = tensor({1.0, 2.0}, {.requires_grad = true});
    return (x * x).sum();
  };
  c["requires_grad_wrapped"] = [] { return arange(40.0).reshape({4, 10}).requires_grad_(); };
  c["suffix_new_line"] = [] { return (arange(7, {.dtype = kFloat64}) + 0.5).requires_grad_(); };
  c["suffix_int32_new_line"] = [] { return arange(100000, 100012, 1, {.dtype = kInt32}); };
  c["suffix_float64_fits"] = [] { return arange(6, {.dtype = kFloat64}) + 0.5; };
  c["default_f64_float32"] = [] { return tensor({1.5, 2.0}, {.dtype = kFloat32}); };
  c["default_f64_float64"] = [] { return tensor({1.5, 2.0}); };
  c["default_f64_empty_float32"] = [] { return zeros({0}, {.dtype = kFloat32}); };
  return c;
}

// Restores float32 as the default dtype even when an expectation fails.
struct DefaultDTypeGuard {
  explicit DefaultDTypeGuard(DType t) { set_default_dtype(t); }
  ~DefaultDTypeGuard() { set_default_dtype(kFloat32); }
};

TEST(Print, MatchesPyTorchRepr) {
  auto goldens = load_printing_goldens();
  auto builders = cases();
  ASSERT_GE(goldens.size(), 30u);
  for (const auto& [name, expected] : goldens) {
    SCOPED_TRACE(name);
    auto it = builders.find(name);
    ASSERT_NE(it, builders.end()) << "no C++ builder for golden case " << name;
    // The default_f64_* cases were printed with torch.set_default_dtype(torch.float64).
    std::optional<DefaultDTypeGuard> guard;
    if (name.rfind("default_f64_", 0) == 0) guard.emplace(kFloat64);
    Tensor t = it->second();
    EXPECT_EQ(t.repr(), expected);
  }
  for (const auto& [name, builder] : builders)
    EXPECT_TRUE(goldens.count(name)) << "no golden for " << name;
}

TEST(Print, OstreamEqualsRepr) {
  Tensor t = arange(6.0).reshape({2, 3}) / 4;
  std::ostringstream os;
  os << t;
  EXPECT_EQ(os.str(), t.repr());
  EXPECT_EQ(os.str(), "tensor([[0.0000, 0.2500, 0.5000],\n        [0.7500, 1.0000, 1.2500]])");
  std::ostringstream undefined;
  undefined << Tensor();
  EXPECT_EQ(undefined.str(), "[ Tensor (undefined) ]");
  EXPECT_THROW(Tensor().repr(), Error);
}

TEST(Print, CudaDeviceSuffix) {
  // PyTorch on a GPU machine: repr(torch.tensor([1.5, 2.]).cuda()) and friends; a device without an
  // index prints as the current device, cuda:0.
  Tensor x = tensor({1.5, 2.0});
  EXPECT_EQ(detail::tensor_repr(x, Device(kCUDA, 0)), "tensor([1.5000, 2.0000], device='cuda:0')");
  EXPECT_EQ(detail::tensor_repr(x, Device(kCUDA)), "tensor([1.5000, 2.0000], device='cuda:0')");
  EXPECT_EQ(detail::tensor_repr(arange(3, {.dtype = kInt32}), Device("cuda:1")),
            "tensor([0, 1, 2], device='cuda:1', dtype=torch.int32)");
  EXPECT_EQ(detail::tensor_repr(zeros({0, 2}), Device(kCUDA, 0)),
            "tensor([], device='cuda:0', size=(0, 2))");
  EXPECT_EQ(detail::tensor_repr(x.clone().requires_grad_(), Device(kCUDA, 0)),
            "tensor([1.5000, 2.0000], device='cuda:0', requires_grad=True)");
  EXPECT_EQ(detail::tensor_repr(x, Device(kCPU)), x.repr());
}

TEST(Print, DoesNotRecordAutograd) {
  Tensor x = tensor({1.0, 2.0}, {.dtype = kFloat64, .requires_grad = true}).to(kFloat16);
  std::string s = x.repr();
  EXPECT_EQ(s, "tensor([1., 2.], dtype=torch.float16, grad_fn=<ToCopyBackward0>)");
  EXPECT_EQ(x.grad_fn()->name(), "ToCopyBackward0");
}

}  // namespace
}  // namespace wick
