// DType tables (itemsize, names, promote_types against torch.promote_types), Half/BFloat16 rounding
// against torch's .half()/.bfloat16(), Device parsing and the thread-count setting.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "support/golden.h"
#include "wick/wick.h"

namespace wick {
namespace {

const DType kAll[] = {kBool, kUInt8, kInt32, kInt64, kFloat16, kBFloat16, kFloat32, kFloat64};

TEST(DType, PromoteTypesMatchesPyTorchForAllPairs) {
  testing::Golden g("core");
  auto table = g["promote_table"].tolist<int64_t>();  // row a, column b: index into kAll
  ASSERT_EQ(table.size(), 64u);
  for (size_t a = 0; a < 8; ++a)
    for (size_t b = 0; b < 8; ++b)
      EXPECT_EQ(promote_types(kAll[a], kAll[b]), kAll[table[a * 8 + b]])
          << dtype_name(kAll[a]) << " with " << dtype_name(kAll[b]);
}

TEST(DType, ItemsizeAndNames) {
  testing::Golden g("core");
  auto sizes = g["itemsize"].tolist<int64_t>();
  const char* names[] = {"bool",    "uint8",    "int32",   "int64",
                         "float16", "bfloat16", "float32", "float64"};
  const char* legacy[] = {"BoolTensor", "ByteTensor",     "IntTensor",   "LongTensor",
                          "HalfTensor", "BFloat16Tensor", "FloatTensor", "DoubleTensor"};
  for (size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(static_cast<int64_t>(itemsize(kAll[i])), sizes[i]);
    EXPECT_STREQ(dtype_name(kAll[i]), names[i]);
    EXPECT_STREQ(legacy_type_name(kAll[i]), legacy[i]);
    EXPECT_EQ(zeros({3}, {.dtype = kAll[i]}).element_size(), itemsize(kAll[i]));
  }
  std::ostringstream os;
  os << kBFloat16;
  EXPECT_EQ(os.str(), "torch.bfloat16");
  EXPECT_TRUE(is_floating_point(kBFloat16));
  EXPECT_FALSE(is_floating_point(kInt64));
  EXPECT_TRUE(is_integral(kBool, /*include_bool=*/true));
  EXPECT_FALSE(is_integral(kBool, /*include_bool=*/false));
  EXPECT_EQ(kLong, kInt64);
  EXPECT_EQ(kDouble, kFloat64);
}

TEST(DType, DefaultDtype) {
  EXPECT_EQ(default_dtype(), kFloat32);
  set_default_dtype(kFloat64);
  EXPECT_EQ(zeros({2}).dtype(), kFloat64);
  EXPECT_EQ(tensor({1.5}).dtype(), kFloat64);
  set_default_dtype(kFloat32);
  EXPECT_EQ(zeros({2}).dtype(), kFloat32);
  EXPECT_THROW(set_default_dtype(kInt64), Error);
}

TEST(DType, HalfAndBFloat16RoundLikePyTorch) {
  testing::Golden g("core");
  auto in = g["round_in"].tolist<double>();
  auto half = g["half_out"].tolist<double>();
  auto bf16 = g["bfloat16_out"].tolist<double>();
  for (size_t i = 0; i < in.size(); ++i) {
    float x = static_cast<float>(in[i]);
    // Exact equality: rounding is bit-for-bit, including signed zeros and overflow to inf.
    EXPECT_EQ(static_cast<double>(static_cast<float>(Half(x))), half[i]) << "half of " << in[i];
    EXPECT_EQ(static_cast<double>(static_cast<float>(BFloat16(x))), bf16[i])
        << "bfloat16 of " << in[i];
    EXPECT_EQ(std::signbit(static_cast<float>(Half(x))), std::signbit(half[i]));
  }
  // Through tensors: float32 -> float16/bfloat16 -> float32 gives the same numbers.
  Tensor t = tensor(std::vector<float>(in.begin(), in.end()));
  EXPECT_EQ(t.to(kFloat16).to(kFloat64).tolist<double>(), half);
  EXPECT_EQ(t.to(kBFloat16).to(kFloat64).tolist<double>(), bf16);
  // NaN stays NaN.
  EXPECT_TRUE(std::isnan(static_cast<float>(Half(NAN))));
  EXPECT_TRUE(std::isnan(static_cast<float>(BFloat16(NAN))));
}

TEST(Device, Parsing) {
  Device cpu("cpu");
  EXPECT_TRUE(cpu.is_cpu());
  EXPECT_EQ(cpu.str(), "cpu");
  Device cuda("cuda");
  EXPECT_TRUE(cuda.is_cuda());
  EXPECT_EQ(cuda.index, -1);
  EXPECT_EQ(cuda.str(), "cuda");
  Device cuda1("cuda:1");
  EXPECT_EQ(cuda1.index, 1);
  EXPECT_EQ(cuda1.str(), "cuda:1");
  std::ostringstream os;
  os << cuda1;
  EXPECT_EQ(os.str(), "cuda:1");
  EXPECT_EQ(Device(kCUDA, 1), cuda1);
  EXPECT_FALSE(Device(kCUDA, 0) == cuda1);
  EXPECT_FALSE(Device(kCPU) == cuda1);
  for (const char* bad :
       {"gpu", "cuda:", "cuda:x", "cuda1", "CPU", "", "cpu:0x", "cuda:1x", "cuda:-1", "cuda:999"}) {
    EXPECT_THROW(Device{std::string(bad)}, Error) << bad;
  }
  try {
    Device d(std::string("tpu"));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'tpu'"), std::string::npos) << e.what();
  }
}

TEST(Threads, SetAndGetNumThreads) {
  const int before = get_num_threads();
  set_num_threads(1);
  EXPECT_EQ(get_num_threads(), 1);
  set_num_threads(2);
  EXPECT_EQ(get_num_threads(), 2);
  EXPECT_THROW(set_num_threads(0), Error);
  EXPECT_THROW(set_num_threads(-3), Error);
  EXPECT_EQ(get_num_threads(), 2);
  set_num_threads(before);
}

}  // namespace
}  // namespace wick
