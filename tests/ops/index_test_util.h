// Small helpers shared by the indexing tests: the message of the wick::Error a call throws, and
// an int64 index tensor from a list.
#pragma once

#include <functional>
#include <string>

#include "wick/wick.h"

namespace wick::testing {

inline std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

inline Tensor li(std::initializer_list<int64_t> v) { return tensor(std::vector<int64_t>(v)); }

}  // namespace wick::testing
