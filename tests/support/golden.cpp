// Reader for tests/golden/*.txt and the tensor comparison used by every value test.
#include "support/golden.h"

#include <cmath>
#include <fstream>
#include <sstream>

namespace wick::testing {

Golden::Golden(const std::string& family) : file_(std::string(WICK_GOLDEN_DIR) + "/" + family + ".txt") {
  std::ifstream in(file_);
  WICK_CHECK(in.good(), "golden file ", file_, " is missing: run /usr/bin/python3 tools/gen_goldens.py");
  std::string line;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ls(line);
    std::string key, dtype;
    int64_t ndim = 0;
    ls >> key >> dtype >> ndim;
    WICK_CHECK(!ls.fail() && ndim >= 0, file_, ":", lineno, ": malformed header");
    Shape shape(static_cast<size_t>(ndim));
    for (auto& s : shape) ls >> s;
    int64_t n = numel_of(shape);
    Tensor t;
    if (dtype == "int64" || dtype == "bool") {
      std::vector<int64_t> v(static_cast<size_t>(n));
      for (auto& x : v) ls >> x;
      WICK_CHECK(!ls.fail(), file_, ":", lineno, ": expected ", n, " integers for ", key);
      t = tensor(v).reshape(shape);
      if (dtype == "bool") t = t.to(kBool);
    } else {
      std::vector<double> v(static_cast<size_t>(n));
      for (auto& x : v) {
        std::string tok;
        ls >> tok;
        x = tok == "nan" ? NAN : tok == "inf" ? INFINITY : tok == "-inf" ? -INFINITY : std::stod(tok);
      }
      WICK_CHECK(!ls.fail(), file_, ":", lineno, ": expected ", n, " numbers for ", key);
      t = tensor(v).reshape(shape);
    }
    tensors_[key] = t;
  }
}

Tensor Golden::operator[](const std::string& key) const {
  auto it = tensors_.find(key);
  WICK_CHECK(it != tensors_.end(), "golden ", file_, " has no tensor '", key, "'");
  return it->second;
}

::testing::AssertionResult tensors_close(const Tensor& actual, const Tensor& expected, double rtol, double atol) {
  if (!actual.defined() || !expected.defined()) return ::testing::AssertionFailure() << "undefined tensor";
  if (actual.sizes() != expected.sizes())
    return ::testing::AssertionFailure() << "shape " << shape_str(actual.sizes()) << " != expected "
                                         << shape_str(expected.sizes());
  auto a = actual.detach().cpu().contiguous().tolist<double>();
  auto e = expected.detach().cpu().contiguous().tolist<double>();
  for (size_t i = 0; i < a.size(); ++i) {
    bool both_nan = std::isnan(a[i]) && std::isnan(e[i]);
    bool same_inf = std::isinf(a[i]) && a[i] == e[i];
    if (both_nan || same_inf) continue;
    if (!(std::abs(a[i] - e[i]) <= atol + rtol * std::abs(e[i])))
      return ::testing::AssertionFailure() << "element " << i << ": " << a[i] << " vs expected " << e[i]
                                           << " (rtol " << rtol << ", atol " << atol << ")";
  }
  return ::testing::AssertionSuccess();
}

}  // namespace wick::testing
