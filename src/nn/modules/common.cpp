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
  std::string sign = s[0] == '-' ? "-" : "";
  std::string digits;
  for (size_t i = sign.size(); i < e; ++i)
    if (s[i] != '.') digits += s[i];
  if (exp10 < -4 || exp10 >= 16) {
    std::string mant = digits.substr(0, 1) + (digits.size() > 1 ? "." + digits.substr(1) : "");
    std::string ex = std::to_string(std::abs(exp10));
    if (ex.size() < 2) ex = "0" + ex;
    return sign + mant + "e" + (exp10 < 0 ? "-" : "+") + ex;
  }
  std::string out;
  if (exp10 < 0) {
    out = "0." + std::string(static_cast<size_t>(-exp10 - 1), '0') + digits;
  } else {
    auto int_len = static_cast<size_t>(exp10 + 1);
    if (digits.size() <= int_len) out = digits + std::string(int_len - digits.size(), '0') + ".0";
    else out = digits.substr(0, int_len) + "." + digits.substr(int_len);
  }
  return sign + out;
}

std::string py_tuple(IntArrayRef v) {
  std::string s = "(";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + std::to_string(v[i]);
  return s + (v.size() == 1 ? ",)" : ")");
}

}  // namespace wick::nn::detail
