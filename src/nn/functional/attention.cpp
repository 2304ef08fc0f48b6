// scaled_dot_product_attention and multi_head_attention_forward from matmul/bmm, softmax, dropout
// and views, with PyTorch 1.13's shape checks and messages. Masks are brought to one additive float
// form (-inf where attention is not allowed) before the softmax, as PyTorch does.
#include "wick/nn/functional/attention.h"

#include <cmath>
#include <limits>
#include <vector>

#include "wick/nn/functional/activation.h"
#include "wick/nn/functional/linear.h"
#include "wick/ops/creation.h"
#include "wick/ops/linalg.h"
#include "wick/ops/shape_ops.h"
#include "wick/nn/functional/dropout.h"

namespace wick::nn::functional {
namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

Tensor drop(const Tensor& x, double p) {
  if (p <= 0) return x;
  return dropout(x, p, true);
}

// bool "true = masked out" -> float 0 / -inf in dtype; float masks pass through.
Tensor additive_mask(const Tensor& mask, DType dtype, const char* fn, const char* what) {
  if (!mask.defined()) return mask;
  if (mask.dtype() == kBool) return zeros(mask.sizes(), {.dtype = dtype, .device = mask.device()}).masked_fill(mask, kNegInf);
  WICK_CHECK(is_floating_point(mask.dtype()), fn, ": only bool and floating types of ", what,
             " are supported, got ", mask.dtype());
  return mask.to(dtype);
}

// Appends one zero column (the last dim) to a mask, for bias_k/bias_v and add_zero_attn.
Tensor pad_last(const Tensor& mask) {
  if (!mask.defined()) return mask;
  Shape s = mask.sizes().vec();
  s.back() = 1;
  return cat({mask, zeros(s, {.dtype = mask.dtype(), .device = mask.device()})}, -1);
}

// softmax(q k^T * scale + mask) and its product with v; q (B, L, E), k (B, S, E), v (B, S, Ev).
std::tuple<Tensor, Tensor> attention(const Tensor& q, const Tensor& k, const Tensor& v,
                                     const Tensor& mask, double scale, double dropout_p) {
  Tensor scores = matmul(q, k.transpose(-2, -1)) * scale;
  if (mask.defined()) scores = scores + mask;
  Tensor weights = drop(softmax(scores, -1), dropout_p);
  return {matmul(weights, v), weights};
}

}  // namespace

Tensor scaled_dot_product_attention(const Tensor& query, const Tensor& key, const Tensor& value,
                                    const ScaledDotProductAttentionOptions& o) {
  WICK_CHECK(query.dim() >= 2 && key.dim() >= 2 && value.dim() >= 2,
             "scaled_dot_product_attention: expected query, key and value with at least 2 dims, got ",
             query.sizes(), ", ", key.sizes(), " and ", value.sizes());
  WICK_CHECK(query.size(-1) == key.size(-1),
             "scaled_dot_product_attention: query and key must have the same embedding size, got ",
             query.sizes(), " and ", key.sizes());
  WICK_CHECK(key.size(-2) == value.size(-2),
             "scaled_dot_product_attention: key and value must have the same sequence length, got ",
             key.sizes(), " and ", value.sizes());
  WICK_CHECK(!(o.is_causal && o.attn_mask.defined()),
             "scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True");
  const int64_t L = query.size(-2), S = key.size(-2);
  Tensor mask;
  if (o.is_causal) {
    TensorOptions idx{.dtype = kInt64, .device = query.device()};
    Tensor above = arange(S, idx).unsqueeze(0).gt(arange(L, idx).unsqueeze(1));  // j > i
    mask = additive_mask(above, query.dtype(), "scaled_dot_product_attention", "attn_mask");
  } else if (o.attn_mask.defined()) {
    // Here a bool mask says where attention IS allowed.
    mask = o.attn_mask.dtype() == kBool
               ? additive_mask(o.attn_mask.logical_not(), query.dtype(), "", "")
               : additive_mask(o.attn_mask, query.dtype(), "scaled_dot_product_attention", "attn_mask");
  }
  const double scale = o.scale.value_or(1.0 / std::sqrt(static_cast<double>(query.size(-1))));
  return std::get<0>(attention(query, key, value, mask, scale, o.dropout_p));
}

std::tuple<Tensor, Tensor> multi_head_attention_forward(
    const Tensor& query_in, const Tensor& key_in, const Tensor& value_in, int64_t embed_dim_to_check,
    int64_t num_heads, const Tensor& in_proj_weight, const Tensor& in_proj_bias,
    const Tensor& bias_k, const Tensor& bias_v, bool add_zero_attn, double dropout_p,
    const Tensor& out_proj_weight, const Tensor& out_proj_bias,
    const MultiheadAttentionForwardOptions& o) {
  const char* fn = "multi_head_attention_forward";
  WICK_CHECK(query_in.dim() == 2 || query_in.dim() == 3, fn,
             ": query should be unbatched 2D or batched 3D tensor but received ", query_in.dim(), "-D query tensor");
  const bool batched = query_in.dim() == 3;
  WICK_CHECK(key_in.dim() == query_in.dim() && value_in.dim() == query_in.dim(), fn, ": For ",
             batched ? "batched (3-D)" : "unbatched (2-D)", " `query`, expected `key` and `value` to be ",
             batched ? "3-D" : "2-D", " but found ", key_in.dim(), "-D and ", value_in.dim(), "-D tensors respectively");
  Tensor query = batched ? query_in : query_in.unsqueeze(1);
  Tensor key = batched ? key_in : key_in.unsqueeze(1);
  Tensor value = batched ? value_in : value_in.unsqueeze(1);
  Tensor kpm = o.key_padding_mask;
  if (kpm.defined() && !batched) {
    WICK_CHECK(kpm.dim() == 1, fn, ": For unbatched (2-D) `query`, expected `key_padding_mask` to be `None` or 1-D but found ",
               kpm.dim(), "-D tensor instead");
    kpm = kpm.unsqueeze(0);
  }
  Tensor attn_mask = o.attn_mask;
  WICK_CHECK(!attn_mask.defined() || attn_mask.dim() == 2 || attn_mask.dim() == 3, fn,
             ": attn_mask's dimension ", attn_mask.defined() ? attn_mask.dim() : 0, " is not supported");

  const int64_t L = query.size(0), N = query.size(1), E = query.size(2);
  WICK_CHECK(E == embed_dim_to_check, "was expecting embedding dimension of ", embed_dim_to_check, ", but got ", E);
  WICK_CHECK(num_heads > 0 && E % num_heads == 0, "embed_dim ", E, " not divisible by num_heads ", num_heads);
  const int64_t hd = E / num_heads;
  if (o.use_separate_proj_weight) {
    WICK_CHECK(key.size(0) == value.size(0) && key.size(1) == value.size(1), "key's sequence and batch dims (",
               key.size(0), ", ", key.size(1), ") do not match value's (", value.size(0), ", ", value.size(1), ")");
  } else {
    WICK_CHECK(key.sizes() == value.sizes(), "key shape ", key.sizes(), " does not match value shape ", value.sizes());
  }

  // Input projections.
  std::vector<Tensor> b = in_proj_bias.defined() ? in_proj_bias.chunk(3) : std::vector<Tensor>(3);
  Tensor q, k, v;
  if (o.use_separate_proj_weight) {
    q = linear(query, o.q_proj_weight, b[0]);
    k = linear(key, o.k_proj_weight, b[1]);
    v = linear(value, o.v_proj_weight, b[2]);
  } else {
    std::vector<Tensor> w = in_proj_weight.chunk(3);
    q = linear(query, w[0], b[0]);
    k = linear(key, w[1], b[1]);
    v = linear(value, w[2], b[2]);
  }

  const DType dt = q.dtype();
  if (attn_mask.defined()) {
    attn_mask = additive_mask(attn_mask, dt, fn, "attn_mask");
    const int64_t S0 = key.size(0);
    if (attn_mask.dim() == 2) {
      WICK_CHECK(attn_mask.size(0) == L && attn_mask.size(1) == S0, "The shape of the 2D attn_mask is ",
                 attn_mask.sizes(), ", but should be (", L, ", ", S0, ").");
      attn_mask = attn_mask.unsqueeze(0);
    } else {
      WICK_CHECK(attn_mask.size(0) == N * num_heads && attn_mask.size(1) == L && attn_mask.size(2) == S0,
                 "The shape of the 3D attn_mask is ", attn_mask.sizes(), ", but should be (", N * num_heads,
                 ", ", L, ", ", S0, ").");
    }
  }
  if (bias_k.defined() && bias_v.defined()) {
    k = cat({k, bias_k.expand({1, N, E})}, 0);
    v = cat({v, bias_v.expand({1, N, E})}, 0);
    attn_mask = pad_last(attn_mask);
    kpm = pad_last(kpm);
  } else {
    WICK_CHECK(!bias_k.defined() && !bias_v.defined(), fn, ": bias_k and bias_v must be given together");
  }

  // (L, N, E) -> (N*heads, L, hd)
  q = q.reshape({L, N * num_heads, hd}).transpose(0, 1);
  k = k.reshape({k.size(0), N * num_heads, hd}).transpose(0, 1);
  v = v.reshape({v.size(0), N * num_heads, hd}).transpose(0, 1);
  if (add_zero_attn) {
    TensorOptions like{.dtype = dt, .device = q.device()};
    k = cat({k, zeros({N * num_heads, 1, hd}, like)}, 1);
    v = cat({v, zeros({N * num_heads, 1, hd}, like)}, 1);
    attn_mask = pad_last(attn_mask);
    kpm = pad_last(kpm);
  }
  const int64_t S = k.size(1);
  if (kpm.defined()) {
    WICK_CHECK(kpm.dim() == 2 && kpm.size(0) == N && kpm.size(1) == S, "expecting key_padding_mask shape of (",
               N, ", ", S, "), but got ", kpm.sizes());
    Tensor m = additive_mask(kpm, dt, fn, "key_padding_mask")
                   .view({N, 1, 1, S})
                   .expand({N, num_heads, 1, S})
                   .reshape({N * num_heads, 1, S});
    attn_mask = attn_mask.defined() ? attn_mask + m : m;
  }

  const double p = o.training ? dropout_p : 0.0;
  auto [out, weights] = attention(q, k, v, attn_mask, 1.0 / std::sqrt(static_cast<double>(hd)), p);
  // (N*heads, L, hd) -> (L, N, E) -> out_proj
  out = linear(out.transpose(0, 1).reshape({L * N, E}), out_proj_weight, out_proj_bias).view({L, N, E});
  if (!batched) out = out.squeeze(1);
  if (!o.need_weights) return {out, Tensor()};
  weights = weights.view({N, num_heads, L, S});
  if (o.average_attn_weights) weights = weights.mean({1});
  if (!batched) weights = weights.squeeze(0);
  return {out, weights};
}

}  // namespace wick::nn::functional
