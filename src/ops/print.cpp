// Tensor::repr() and operator<<: a port of torch/_tensor_str.py (PyTorch 1.13) with its defaults
// (precision 4, threshold 1000, edgeitems 3, linewidth 80), so printed tensors diff cleanly against
// Python. Only dense tensors exist in Wick, so the sparse/quantized/named branches are left out.
#include "wick/ops/print.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ostream>
#include <string>
#include <vector>

#include "wick/autograd/node.h"

namespace wick {

namespace {

constexpr int kPrecision = 4;
constexpr int64_t kThreshold = 1000;
constexpr int64_t kEdgeItems = 3;
constexpr int64_t kLineWidth = 80;

// The elements on the host in row-major order: floating dtypes as double (float16/bfloat16 widen
// exactly, as torch's printer calls .float()), everything else as int64.
struct HostValues {
  bool floating = false;
  bool boolean = false;
  std::vector<double> f;
  std::vector<int64_t> i;
  Shape sizes;
  Shape strides;  // contiguous strides of `sizes`
};

HostValues host_values(const Tensor& t) {
  HostValues v;
  Tensor d = t.detach();  // printing must not record conversions in the graph
  if (!d.is_cpu()) d = d.to(Device(kCPU));
  v.floating = d.is_floating_point();
  v.boolean = d.dtype() == kBool;
  v.sizes = d.sizes().vec();
  v.strides = contiguous_strides(v.sizes);
  if (v.floating)
    v.f = d.tolist<double>();
  else
    v.i = d.tolist<int64_t>();
  return v;
}

// Python's "{:.Nf}" / "{:.Ne}" of a float: C's printf agrees except for the spelling of nan.
std::string py_format(double x, char conv, int precision) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  const char* fmt = conv == 'e' ? "%.*e" : "%.*f";
  int n = std::snprintf(nullptr, 0, fmt, precision, x);
  std::string s(static_cast<size_t>(n) + 1, '\0');
  std::snprintf(s.data(), s.size(), fmt, precision, x);
  s.resize(static_cast<size_t>(n));
  return s;
}

std::string pad_left(const std::string& s, size_t width) {
  std::string out(width > s.size() ? width - s.size() : 0, ' ');
  return out += s;
}

// Flat indices of the elements torch shows: all of them, or with summarize only the first and last
// kEdgeItems along every dimension longer than 2 * kEdgeItems (get_summarized_data).
void shown_indices(const HostValues& v, bool summarize, size_t dim, int64_t base,
                   std::vector<int64_t>& out) {
  if (dim == v.sizes.size()) {
    out.push_back(base);
    return;
  }
  const int64_t n = v.sizes[dim];
  for (int64_t k = 0; k < n; ++k) {
    if (summarize && n > 2 * kEdgeItems && k == kEdgeItems) k = n - kEdgeItems;
    shown_indices(v, summarize, dim + 1, base + k * v.strides[dim], out);
  }
}

// torch's _Formatter: picks integer, fixed or scientific notation for floats from the shown
// nonzero finite values, and one column width for every element.
class Formatter {
 public:
  Formatter(const HostValues& v, const std::vector<int64_t>& shown) : v_(v) {
    if (!v.floating) {
      for (int64_t k : shown)
        max_width_ = std::max(max_width_, raw_int(v.i[static_cast<size_t>(k)]).size());
      return;
    }
    std::vector<double> vals;
    for (int64_t k : shown) {
      double x = v.f[static_cast<size_t>(k)];
      if (std::isfinite(x) && x != 0) vals.push_back(x);
    }
    if (vals.empty()) return;
    double lo = std::abs(vals[0]), hi = lo;
    for (double x : vals) {
      lo = std::min(lo, std::abs(x));
      hi = std::max(hi, std::abs(x));
      if (x != std::ceil(x)) int_mode_ = false;
    }
    // Integral floats switch to sci only for a wide range or huge values; others also for tiny
    // ones.
    sci_mode_ = hi / lo > 1000.0 || hi > 1.0e8 || (!int_mode_ && lo < 1.0e-4);
    for (double x : vals) {
      size_t w = sci_mode_   ? py_format(x, 'e', kPrecision).size()
                 : int_mode_ ? py_format(x, 'f', 0).size() + 1  // + 1 for the trailing "."
                             : py_format(x, 'f', kPrecision).size();
      max_width_ = std::max(max_width_, w);
    }
  }

  size_t width() const { return max_width_; }

  // The element at flat index k, padded to the column width.
  std::string format(int64_t k) const {
    std::string s;
    if (!v_.floating) {
      s = raw_int(v_.i[static_cast<size_t>(k)]);
    } else {
      double x = v_.f[static_cast<size_t>(k)];
      if (sci_mode_) {
        s = py_format(x, 'e', kPrecision);
      } else if (int_mode_) {
        s = py_format(x, 'f', 0);
        if (std::isfinite(x)) s += ".";  // marks a float tensor whose values are all integers
      } else {
        s = py_format(x, 'f', kPrecision);
      }
    }
    return pad_left(s, max_width_);
  }

 private:
  std::string raw_int(int64_t x) const {
    return v_.boolean ? (x ? "True" : "False") : std::to_string(x);
  }

  const HostValues& v_;
  bool int_mode_ = true;
  bool sci_mode_ = false;
  size_t max_width_ = 1;
};

// "[" + parts joined by sep + "]". Appending (rather than "[" + s) also avoids GCC 12's false
// -Wrestrict warning on prepending to a std::string.
std::string bracket_join(const std::vector<std::string>& parts, const std::string& sep,
                         const char* open = "[", const char* close = "]") {
  std::string out = open;
  for (size_t k = 0; k < parts.size(); ++k) {
    if (k) out += sep;
    out += parts[k];
  }
  return out += close;
}

// A separator: `head`, then `newlines` line breaks, then `spaces` spaces.
std::string separator(const char* head, size_t newlines, int64_t spaces) {
  std::string s = head;
  s.append(newlines, '\n');
  s.append(static_cast<size_t>(spaces), ' ');
  return s;
}

// _vector_str: one dimension, wrapped to the line width.
std::string vector_str(const HostValues& v, const Formatter& fmt, bool summarize, int64_t base,
                       int64_t indent) {
  const int64_t element_length = static_cast<int64_t>(fmt.width()) + 2;  // ", " between elements
  const int64_t per_line = std::max<int64_t>(1, (kLineWidth - indent) / element_length);
  const int64_t n = v.sizes.back();
  std::vector<std::string> data;
  for (int64_t k = 0; k < n; ++k) {
    if (summarize && n > 2 * kEdgeItems && k == kEdgeItems) {
      data.emplace_back(" ...");
      k = n - kEdgeItems;
    }
    data.push_back(fmt.format(base + k));
  }
  std::vector<std::string> lines;
  for (size_t k = 0; k < data.size(); k += static_cast<size_t>(per_line)) {
    auto end = data.begin() + static_cast<std::ptrdiff_t>(
                                  std::min(data.size(), k + static_cast<size_t>(per_line)));
    lines.push_back(
        bracket_join(std::vector<std::string>(data.begin() + static_cast<std::ptrdiff_t>(k), end),
                     ", ", "", ""));
  }
  return bracket_join(lines, separator(",", 1, indent + 1));
}

// _tensor_str_with_formatter: nested brackets; a dimension d from the end is separated by d - 1
// blank lines, as in NumPy.
std::string tensor_str(const HostValues& v, const Formatter& fmt, bool summarize, size_t dim,
                       int64_t base, int64_t indent) {
  const size_t ndim = v.sizes.size();
  if (ndim == 0) return fmt.format(0);
  if (dim == ndim - 1) return vector_str(v, fmt, summarize, base, indent);
  const int64_t n = v.sizes[dim];
  std::vector<std::string> slices;
  for (int64_t k = 0; k < n; ++k) {
    if (summarize && n > 2 * kEdgeItems && k == kEdgeItems) {
      slices.emplace_back("...");
      k = n - kEdgeItems;
    }
    slices.push_back(tensor_str(v, fmt, summarize, dim + 1, base + k * v.strides[dim], indent + 1));
  }
  return bracket_join(slices, separator(",", ndim - dim - 1, indent + 1));
}

// Python's str(tuple(shape)): "(0, 3)", "(0,)".
std::string py_tuple(IntArrayRef sizes) {
  std::vector<std::string> parts;
  for (int64_t s : sizes) parts.push_back(std::to_string(s));
  return bracket_join(parts, ", ", "(", sizes.size() == 1 ? ",)" : ")");
}

// _add_suffixes: ", suffix" on the last line, or on a new line when it would pass the line width.
std::string add_suffixes(const std::string& body, const std::vector<std::string>& suffixes,
                         int64_t indent) {
  std::string out = body;
  const size_t nl = body.rfind('\n');
  // Python computes len(s) - s.rfind("\n") + 1, with rfind = -1 when there is no newline.
  int64_t last_line_len = static_cast<int64_t>(body.size()) -
                          (nl == std::string::npos ? -1 : static_cast<int64_t>(nl)) + 1;
  for (const std::string& suffix : suffixes) {
    const int64_t len = static_cast<int64_t>(suffix.size());
    if (last_line_len + len + 2 > kLineWidth) {
      out += separator(",", 1, indent);
      out += suffix;
      last_line_len = indent + len;
    } else {
      out += ", ";
      out += suffix;
      last_line_len += len + 2;
    }
  }
  return out + ")";
}

}  // namespace

namespace detail {

std::string tensor_repr(const Tensor& t, Device device) {
  const std::string prefix = "tensor(";
  const int64_t indent = static_cast<int64_t>(prefix.size());
  std::vector<std::string> suffixes;
  // torch names the device whenever it is not the CPU, and a CUDA device always has an index.
  if (device.is_cuda())
    suffixes.push_back("device='cuda:" + std::to_string(std::max<int>(device.index, 0)) + "'");
  const DType dt = t.dtype();
  const std::string dtype_suffix = std::string("dtype=torch.") + dtype_name(dt);
  std::string body;
  if (t.numel() == 0) {
    // An empty tensor shows its shape unless it is (0,), and any non-default dtype, int64 included.
    if (t.dim() != 1) suffixes.push_back("size=" + py_tuple(t.sizes()));
    if (dt != default_dtype()) suffixes.push_back(dtype_suffix);
    body = "[]";
  } else {
    if (dt != default_dtype() && dt != kInt64 && dt != kBool) suffixes.push_back(dtype_suffix);
    HostValues v = host_values(t);
    const bool summarize = t.numel() > kThreshold;
    std::vector<int64_t> shown;
    shown_indices(v, summarize, 0, 0, shown);
    Formatter fmt(v, shown);
    body = tensor_str(v, fmt, summarize, 0, 0, indent);
  }
  if (t.grad_fn())
    suffixes.push_back("grad_fn=<" + t.grad_fn()->name() + ">");
  else if (t.requires_grad())
    suffixes.push_back("requires_grad=True");
  return add_suffixes(prefix + body, suffixes, indent);
}

}  // namespace detail

std::string Tensor::repr() const {
  WICK_CHECK(defined(), "repr: the tensor is undefined (default-constructed or moved from)");
  return detail::tensor_repr(*this, device());
}

std::ostream& operator<<(std::ostream& os, const Tensor& t) {
  if (!t.defined()) return os << "[ Tensor (undefined) ]";  // LibTorch's spelling; repr() throws
  return os << t.repr();
}

}  // namespace wick
