// nn::functional attention: scaled_dot_product_attention (torch.nn.functional.scaled_dot_product_attention)
// and multi_head_attention_forward (what nn::MultiheadAttention runs), composed of matmul, softmax
// and dropout, so gradients come from those ops. No static_k/static_v, no fused flash kernel.
#pragma once

#include <optional>
#include <tuple>

#include "wick/core/tensor.h"

namespace wick::nn::functional {

struct ScaledDotProductAttentionOptions {
  // bool: true = take part in attention; float: added to the scores. Broadcasts to (..., L, S).
  Tensor attn_mask = {};
  double dropout_p = 0.0;
  bool is_causal = false;                  // lower-triangular mask (attn_mask must then be unset)
  std::optional<double> scale = std::nullopt;  // default 1 / sqrt(E)
};

// query (..., L, E), key (..., S, E), value (..., S, Ev) -> (..., L, Ev)
Tensor scaled_dot_product_attention(const Tensor& query, const Tensor& key, const Tensor& value,
                                    const ScaledDotProductAttentionOptions& options = {});

struct MultiheadAttentionForwardOptions {
  bool training = true;
  Tensor key_padding_mask = {};  // (N, S) or (S): bool true = ignore, float = added
  bool need_weights = true;
  Tensor attn_mask = {};  // (L, S) or (N*num_heads, L, S): bool true = not allowed, float = added
  bool use_separate_proj_weight = false;
  Tensor q_proj_weight = {}, k_proj_weight = {}, v_proj_weight = {};
  bool average_attn_weights = true;
};

// Sequence-first: query (L, N, E) or (L, E), key (S, N, kdim), value (S, N, vdim).
// Returns (attn_output (L, N, E), attn_weights (N, L, S) averaged over heads, or
// (N, num_heads, L, S); undefined when need_weights is false).
std::tuple<Tensor, Tensor> multi_head_attention_forward(
    const Tensor& query, const Tensor& key, const Tensor& value, int64_t embed_dim_to_check,
    int64_t num_heads, const Tensor& in_proj_weight, const Tensor& in_proj_bias,
    const Tensor& bias_k, const Tensor& bias_v, bool add_zero_attn, double dropout_p,
    const Tensor& out_proj_weight, const Tensor& out_proj_bias,
    const MultiheadAttentionForwardOptions& options = {});

}  // namespace wick::nn::functional
