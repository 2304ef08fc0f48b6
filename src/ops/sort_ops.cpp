// The sorting family (sort, argsort, topk) and nonzero, one_hot. sort is stable; topk sorts the
// whole line and narrows it (no partial selection). Values carry a backward that scatters the
// gradient back to where each value came from; indices and one_hot are integer results.
#include "op_utils.h"
#include "wick/ops/creation.h"
#include "wick/ops/indexing.h"
#include "wick/ops/shape_ops.h"

namespace wick {

using namespace ops;

namespace {

// Values picked out of x by `indices` along d: the gradient goes back to those positions.
Tensor record_selection(const char* name, const Tensor& values, const Tensor& indices, const Tensor& x, int64_t d) {
  if (!is_floating_point(x.dtype())) return values;
  Shape in = x.sizes().vec();
  return autograd::record(name, values, {x}, [d, in, idx = SavedTensor(indices)](const variable_list& g) {
    return variable_list{zeros(in, {.dtype = g[0].dtype(), .device = g[0].device()}).scatter(d, idx.unpack(), g[0])};
  });
}

std::tuple<Tensor, Tensor> sort_raw(const Tensor& x, int64_t d, bool descending) {
  Tensor values = new_empty(x.sizes(), x.dtype(), x.device());
  Tensor indices = new_empty(x.sizes(), kInt64, x.device());
  if (x.numel() > 0) backend_for(x).sort(values, indices, x, d, descending);
  return {values, indices};
}

}  // namespace

std::tuple<Tensor, Tensor> sort(const Tensor& x, int64_t dim, bool descending) {
  const int64_t d = wrap_dim(dim, x.dim());
  auto [values, indices] = sort_raw(x, d, descending);
  return {record_selection("SortBackward0", values, indices, x, d), indices};
}

Tensor argsort(const Tensor& x, int64_t dim, bool descending) {
  return std::get<1>(sort_raw(x, wrap_dim(dim, x.dim()), descending));
}

std::tuple<Tensor, Tensor> topk(const Tensor& x, int64_t k, int64_t dim, bool largest, bool sorted) {
  const int64_t d = wrap_dim(dim, x.dim());
  const int64_t n = x.dim() == 0 ? 1 : x.size(d);
  WICK_CHECK(k >= 0 && k <= n, "selected index k out of range");
  // A full sort gives a sorted result, so `sorted` only states what PyTorch would guarantee.
  (void)sorted;
  auto [all_values, all_indices] = sort_raw(x, d, largest);
  Tensor values = all_values, indices = all_indices;
  if (x.dim() > 0) {
    values = all_values.narrow(d, 0, k).contiguous();
    indices = all_indices.narrow(d, 0, k).contiguous();
  }
  return {record_selection("TopkBackward0", values, indices, x, d), indices};
}

Tensor nonzero(const Tensor& x) {
  Backend& b = backend_for(x);
  const int64_t n = x.numel() == 0 ? 0 : b.count_nonzero(x);
  Tensor out = new_empty({n, x.dim()}, kInt64, x.device());
  if (n > 0 && x.dim() > 0) b.nonzero(out, x);
  return out;
}

Tensor one_hot(const Tensor& x, int64_t num_classes) {
  WICK_CHECK(x.dtype() == kInt64, "one_hot is only applicable to index tensor.");
  std::vector<int64_t> v = x.tolist<int64_t>();
  if (num_classes == -1) {
    WICK_CHECK(!v.empty(), "Can not infer total number of classes from empty tensor.");
    num_classes = *std::max_element(v.begin(), v.end()) + 1;
  }
  WICK_CHECK(num_classes >= 1 || (num_classes == 0 && v.empty()), "num_classes should be positive");
  for (int64_t c : v) {
    WICK_CHECK(c >= 0, "Class values must be non-negative.");
    WICK_CHECK(c < num_classes, "Class values must be smaller than num_classes.");
  }
  Shape sz = x.sizes().vec();
  sz.push_back(num_classes);
  Tensor out = zeros(sz, {.dtype = kInt64, .device = x.device()});
  if (!v.empty()) out.scatter_(-1, x.unsqueeze(-1), ones(x.unsqueeze(-1).sizes(), {.dtype = kInt64, .device = x.device()}));
  return out;
}

// ---- Tensor methods ----
Tensor Tensor::nonzero() const { return wick::nonzero(*this); }
std::tuple<Tensor, Tensor> Tensor::topk(int64_t k, int64_t dim, bool largest, bool sorted) const {
  return wick::topk(*this, k, dim, largest, sorted);
}
std::tuple<Tensor, Tensor> Tensor::sort(int64_t dim, bool descending) const { return wick::sort(*this, dim, descending); }

}  // namespace wick
