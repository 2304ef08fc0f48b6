// Helpers shared by the normalization/dropout/embedding/distance tests: a module's printed text
// and the golden tolerances per dtype (float64 to 1e-10, float32 to 1e-5).
#pragma once

#include <sstream>
#include <string>

#include "wick/wick.h"

namespace wick::testing {

template <typename M>
std::string str(const M& m) {
  std::ostringstream os;
  os << m;
  return os.str();
}

inline double golden_rtol(DType dt) { return dt == kFloat64 ? 1e-10 : 1e-5; }
inline double golden_atol(DType dt) { return dt == kFloat64 ? 1e-12 : 2e-6; }

}  // namespace wick::testing
