// wick::Error and WICK_CHECK: every user-facing failure is an exception whose message names the op
// or module, what it expected and what it got. No error codes, no aborts.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

namespace wick {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace detail {
template <typename... Args>
std::string str_cat(const Args&... args) {
  std::ostringstream os;
  ((os << args), ...);
  return os.str();
}
}  // namespace detail

}  // namespace wick

// WICK_CHECK(cond, "Conv2d: expected ", a, ", got ", b): throws wick::Error with the pieces joined.
#define WICK_CHECK(cond, ...)                                          \
  do {                                                                 \
    if (!(cond)) throw ::wick::Error(::wick::detail::str_cat(__VA_ARGS__)); \
  } while (0)

#define WICK_FAIL(...) throw ::wick::Error(::wick::detail::str_cat(__VA_ARGS__))
