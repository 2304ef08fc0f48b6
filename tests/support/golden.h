// Golden reference tensors written by tools/gen_goldens.py with PyTorch 1.13. One text file per
// family under tests/golden/; one tensor per line: `key dtype ndim sizes... values...`.
#pragma once

#include <map>
#include <string>

#include <gtest/gtest.h>

#include "wick/wick.h"

namespace wick::testing {

class Golden {
 public:
  // Loads tests/golden/<family>.txt (throws naming the file when missing or malformed).
  explicit Golden(const std::string& family);
  // The tensor stored under key, as float64 (or int64/bool when stored so) on the CPU.
  Tensor operator[](const std::string& key) const;
  bool has(const std::string& key) const { return tensors_.count(key) != 0; }

 private:
  std::string file_;
  std::map<std::string, Tensor> tensors_;
};

// Compares with a relative+absolute tolerance, returning a gtest-friendly message on failure.
::testing::AssertionResult tensors_close(const Tensor& actual, const Tensor& expected, double rtol = 1e-5,
                                         double atol = 1e-8);

}  // namespace wick::testing

#define EXPECT_TENSOR_CLOSE(actual, expected, ...) \
  EXPECT_TRUE(::wick::testing::tensors_close((actual), (expected), ##__VA_ARGS__))
