// Python number/tuple formatting for module printing (repr of float: shortest round-trip digits,
// fixed notation for exponents in [-4, 16), otherwise d.ddde-05).
#include "wick/nn/modules/common.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace wick::nn::detail {

std::string py_repr(const Scalar& v) {
  if (v.is_bool()) return py_bool(v.to_bool());
  if (v.is_integral()) return std::to_string(v.to_long());
  double d = v.to_double();
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), d, std::chars_format::scientific);
  std::string s(buf, res.ptr);  // "-1.2345e-05"
  size_t e = s.find('e');
  int exp10 = std::atoi(s.c_str() + e + 1);
  // Built by appending only: GCC 12's -Wrestrict misfires on chains of temporary string
  // concatenation.
  std::string out;
  if (s[0] == '-') out += '-';
  std::string digits;
  for (size_t i = out.size(); i < e; ++i)
    if (s[i] != '.') digits += s[i];
  if (exp10 < -4 || exp10 >= 16) {
    out += digits[0];
    if (digits.size() > 1) out.append(".").append(digits, 1, std::string::npos);
    out += exp10 < 0 ? "e-" : "e+";
    if (std::abs(exp10) < 10) out += '0';
    out += std::to_string(std::abs(exp10));
    return out;
  }
  if (exp10 < 0) {
    out.append("0.").append(static_cast<size_t>(-exp10 - 1), '0').append(digits);
    return out;
  }
  auto int_len = static_cast<size_t>(exp10 + 1);
  if (digits.size() <= int_len) {
    out.append(digits).append(int_len - digits.size(), '0').append(".0");
  } else {
    out.append(digits, 0, int_len).append(".").append(digits, int_len, std::string::npos);
  }
  return out;
}

std::string py_tuple(IntArrayRef v) {
  std::string s = "(";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(v[i]);
  }
  s += v.size() == 1 ? ",)" : ")";
  return s;
}

}  // namespace wick::nn::detail
