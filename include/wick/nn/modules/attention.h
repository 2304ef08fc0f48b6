// nn::MultiheadAttention (torch.nn.MultiheadAttention): PyTorch's parameters (in_proj_weight or
// q/k/v_proj_weight when kdim/vdim differ, in_proj_bias, bias_k, bias_v, out_proj), init and
// printing; forward is functional::multi_head_attention_forward. No fast path, no static_k/v.
#pragma once

#include <optional>
#include <string>
#include <tuple>

#include "wick/core/device.h"
#include "wick/nn/functional/attention.h"
#include "wick/nn/modules/common.h"
#include "wick/nn/modules/linear.h"

namespace wick::nn {

// A Linear that prints as PyTorch's NonDynamicallyQuantizableLinear (MultiheadAttention.out_proj).
struct NonDynamicallyQuantizableLinearImpl : LinearImpl {
  using LinearImpl::LinearImpl;
  std::string repr() const override { return "NonDynamicallyQuantizableLinear(" + extra_repr() + ")"; }
};

class NonDynamicallyQuantizableLinear : public ModuleHolder<NonDynamicallyQuantizableLinearImpl> {
 public:
  using ModuleHolder<NonDynamicallyQuantizableLinearImpl>::ModuleHolder;
  NonDynamicallyQuantizableLinear(int64_t in_features, int64_t out_features,
                                  LinearOptions options = {});
};

struct MultiheadAttentionOptions {
  double dropout = 0.0;  // on the attention weights, training only
  bool bias = true;
  bool add_bias_kv = false;
  bool add_zero_attn = false;
  std::optional<int64_t> kdim = std::nullopt;  // default embed_dim
  std::optional<int64_t> vdim = std::nullopt;
  bool batch_first = false;
  std::optional<Device> device = std::nullopt;
  std::optional<DType> dtype = std::nullopt;
};

struct MultiheadAttentionImpl : Module {
  MultiheadAttentionImpl(int64_t embed_dim, int64_t num_heads, MultiheadAttentionOptions options = {});
  // query (L, N, E) / (N, L, E) with batch_first / (L, E); key (S, N, kdim); value (S, N, vdim).
  // key_padding_mask (N, S): true = ignore that key. attn_mask (L, S) or (N*num_heads, L, S):
  // true = not allowed (float masks are added). Returns (attn_output, attn_weights): weights
  // (N, L, S) averaged over heads, (N, num_heads, L, S) otherwise, undefined if !need_weights.
  std::tuple<Tensor, Tensor> forward(const Tensor& query, const Tensor& key, const Tensor& value,
                                     const Tensor& key_padding_mask = {}, bool need_weights = true,
                                     const Tensor& attn_mask = {}, bool average_attn_weights = true);
  // xavier_uniform_ on the input projections, zero biases, xavier_normal_ on bias_k/bias_v.
  void reset_parameters();

  int64_t embed_dim, kdim, vdim, num_heads, head_dim;
  double dropout;
  bool batch_first, add_zero_attn;
  Tensor in_proj_weight, q_proj_weight, k_proj_weight, v_proj_weight, in_proj_bias, bias_k, bias_v;
  NonDynamicallyQuantizableLinear out_proj = nullptr;
};

class MultiheadAttention : public ModuleHolder<MultiheadAttentionImpl> {
 public:
  using ModuleHolder<MultiheadAttentionImpl>::ModuleHolder;
  MultiheadAttention(int64_t embed_dim, int64_t num_heads, MultiheadAttentionOptions options = {});
};

}  // namespace wick::nn
