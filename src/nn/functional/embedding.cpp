// embedding as a fused op (EmbeddingBackward0): rows gathered with index_select; the backward sums
// gradient rows into a zero weight gradient with index_add (padding_idx rows masked out, optional
// 1/count scaling), written with Tensor ops so double backward works. embedding_bag composes
// embedding rows per bag: index_add for sum/mean, a padded (B, Lmax, D) max for "max".
#include "wick/nn/functional/embedding.h"

#include <limits>

#include "wick/autograd/record.h"
#include "wick/ops/creation.h"
#include "wick/ops/indexing.h"
#include "wick/ops/pointwise.h"
#include "wick/ops/reduction.h"

namespace wick::nn::functional {
namespace {

using autograd::SavedTensor;
using autograd::variable_list;

Tensor checked_indices(const Tensor& input, const Tensor& weight, const char* op) {
  WICK_CHECK(input.dtype() == kInt64 || input.dtype() == kInt32, op,
             ": Expected tensor for argument #1 'indices' to have one of the following scalar "
             "types: Long, Int; "
             "but got ",
             dtype_name(input.dtype()), " instead");
  WICK_CHECK(weight.dim() == 2, op, ": 'weight' must be 2-D, got ", weight.sizes());
  Tensor idx = input.to(kInt64).reshape({-1});
  if (idx.numel() > 0) {
    int64_t lo = idx.min().item<int64_t>(), hi = idx.max().item<int64_t>();
    WICK_CHECK(lo >= 0 && hi < weight.size(0), op, ": index out of range in self: indices span [",
               lo, ", ", hi, "] but weight has ", weight.size(0), " rows");
  }
  return idx;
}

std::optional<int64_t> wrap_padding(std::optional<int64_t> padding_idx, int64_t num,
                                    const char* op) {
  if (!padding_idx) return padding_idx;
  WICK_CHECK(*padding_idx < num && *padding_idx >= -num, op,
             ": Padding_idx must be within num_embeddings, got ", *padding_idx, " for ", num,
             " embeddings");
  return *padding_idx < 0 ? *padding_idx + num : *padding_idx;
}

// Rows of weight looked up by idx whose norm exceeds max_norm are scaled down to it, in place and
// without autograd (PyTorch's embedding_renorm_).
void renorm_(const Tensor& weight, const Tensor& idx, double max_norm, double norm_type) {
  if (idx.numel() == 0) return;
  NoGradGuard ng;
  Tensor rows = weight.index_select(0, idx);
  Tensor norms = rows.norm(norm_type, {1}, true);
  Tensor scale = where(norms > max_norm, max_norm / (norms + 1e-7), ones_like(norms));
  Tensor w = weight;
  w.index_put_(std::vector<Tensor>{idx}, rows * scale, false);
}

}  // namespace

Tensor embedding(const Tensor& input, const Tensor& weight, EmbeddingFuncOptions o) {
  Tensor idx = checked_indices(input, weight, "embedding");
  const int64_t num = weight.size(0), dim = weight.size(1);
  std::optional<int64_t> pad = wrap_padding(o.padding_idx, num, "embedding");
  if (o.max_norm) renorm_(weight, idx, *o.max_norm, o.norm_type);
  Tensor out;
  {
    NoGradGuard ng;
    out = weight.index_select(0, idx);
  }
  Shape shape = input.sizes().vec();
  shape.push_back(dim);
  out = out.view(shape);
  const bool scale = o.scale_grad_by_freq;
  return autograd::record(
      "EmbeddingBackward0", out, {weight}, [idx, pad, scale, num, dim](const variable_list& g) {
        Tensor rows = g[0].reshape({-1, dim});
        if (pad) rows = rows * (idx != *pad).unsqueeze(1).to(rows.dtype());
        if (scale) {
          Tensor counts =
              zeros({num}, rows.options()).index_add(0, idx, ones({idx.numel()}, rows.options()));
          rows = rows / counts.index_select(0, idx).unsqueeze(1);
        }
        return variable_list{zeros({num, dim}, rows.options()).index_add(0, idx, rows)};
      });
}

Tensor embedding_bag(const Tensor& input, const Tensor& weight, EmbeddingBagFuncOptions o) {
  const char* op = "embedding_bag";
  WICK_CHECK(o.mode == "sum" || o.mode == "mean" || o.mode == "max", op,
             ": mode has to be one of sum, mean or max, got '", o.mode, "'");
  WICK_CHECK(!o.per_sample_weights.defined() || o.mode == "sum", op,
             ": per_sample_weights was not None. per_sample_weights is only supported for "
             "mode='sum' (got mode='",
             o.mode, "'). Please open a feature request on the Pytorch GitHub.");
  Tensor offsets;
  int64_t bags = 0;
  if (input.dim() == 2) {
    WICK_CHECK(!o.offsets.defined(), op,
               ": if input is 2D, then offsets has to be None, as input is treated is a "
               "mini-batch of fixed length sequences. However, found offsets of type Tensor");
    bags = input.size(0);
    offsets = arange(0, input.numel(), std::max<int64_t>(input.size(1), 1), {.dtype = kInt64});
    if (input.size(1) == 0) offsets = zeros({bags}, {.dtype = kInt64});
  } else {
    WICK_CHECK(input.dim() == 1, op,
               ": input has to be 1D or 2D Tensor, but got Tensor of dimension ", input.dim());
    WICK_CHECK(o.offsets.defined() && o.offsets.dim() == 1, op, ": offsets has to be a 1D Tensor");
    offsets = o.offsets.to(kInt64);
    if (o.include_last_offset) {
      WICK_CHECK(offsets.numel() >= 1, op, ": include_last_offset needs at least one offset");
      offsets = offsets.narrow(0, 0, offsets.numel() - 1);
    }
    bags = offsets.numel();
    if (bags > 0) {
      WICK_CHECK(offsets[0].item<int64_t>() == 0, op,
                 ": offsets[0] has to be 0, i.e., the first sequence in the "
                 "mini-batch has to start from position 0. However, got ",
                 offsets[0].item<int64_t>());
      WICK_CHECK(offsets[bags - 1].item<int64_t>() <= input.numel(), op,
                 ": offsets[-1] can not be greater than "
                 "input's length ",
                 input.numel(), ", but got offsets[-1] of ", offsets[bags - 1].item<int64_t>());
    }
  }
  if (o.per_sample_weights.defined())
    WICK_CHECK(o.per_sample_weights.sizes() == input.sizes(), op,
               ": expected per_sample_weights of shape ", input.sizes(), " (the input's), got ",
               o.per_sample_weights.sizes());
  Tensor idx = checked_indices(input, weight, op);
  const int64_t n = idx.numel(), dim = weight.size(1);
  std::optional<int64_t> pad = wrap_padding(o.padding_idx, weight.size(0), op);
  // Bag of each entry: count of bag starts at or before it, minus one.
  Tensor starts = zeros({n + 1}, {.dtype = kInt64});
  if (bags > 1)
    starts.index_add_(0, offsets.narrow(0, 1, bags - 1), ones({bags - 1}, {.dtype = kInt64}));
  Tensor seg = starts.narrow(0, 0, n).cumsum(0);
  Tensor rows = embedding(idx, weight,
                          {.max_norm = o.max_norm,
                           .norm_type = o.norm_type,
                           .scale_grad_by_freq = o.scale_grad_by_freq,
                           .sparse = o.sparse});
  Tensor psw = o.per_sample_weights.defined() ? o.per_sample_weights.reshape({-1}) : Tensor();
  if (pad) {
    // Padding entries are skipped: they add nothing and do not count toward a bag's size.
    Tensor keep = idx != *pad;
    rows = rows.index({keep});
    seg = seg.index({keep});
    idx = idx.index({keep});
    if (psw.defined()) psw = psw.index({keep});
  }
  if (psw.defined()) rows = rows * psw.unsqueeze(1);
  if (o.mode != "max") {
    Tensor out = zeros({bags, dim}, weight.options()).index_add(0, seg, rows);
    if (o.mode == "sum") return out;
    Tensor counts =
        zeros({bags}, weight.options()).index_add(0, seg, ones({seg.numel()}, weight.options()));
    return out / counts.clamp_min(1).unsqueeze(1);
  }
  // max: scatter the rows into (bags, Lmax, dim) filled with -inf, reduce, and give empty bags 0.
  Tensor counts =
      zeros({bags}, {.dtype = kInt64}).index_add(0, seg, ones({seg.numel()}, {.dtype = kInt64}));
  int64_t lmax = bags > 0 ? counts.max().item<int64_t>() : 0;
  if (lmax == 0)
    return zeros({bags, dim}, weight.options()) + rows.sum() * 0;  // keeps the graph to weight
  Tensor first = counts.cumsum(0) - counts;  // index of each bag's first kept entry
  Tensor pos = arange(seg.numel(), {.dtype = kInt64}) - first.index_select(0, seg);
  Tensor padded =
      full({bags, lmax, dim}, -std::numeric_limits<double>::infinity(), weight.options());
  padded = padded.index_put_(std::vector<Tensor>{seg, pos}, rows, false);
  Tensor out = std::get<0>(padded.max(1));
  return where((counts > 0).unsqueeze(1), out, zeros_like(out));
}

}  // namespace wick::nn::functional
