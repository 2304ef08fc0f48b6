// expect_error: the call must throw wick::Error whose message contains a given text (the checks
// of PyTorch-like error messages in op tests).
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "wick/core/error.h"

namespace wick::testing {

template <typename F>
void expect_error(F&& f, const std::string& needle) {
  try {
    f();
    ADD_FAILURE() << "expected an error containing: " << needle;
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

}  // namespace wick::testing
