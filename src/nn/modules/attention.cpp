// MultiheadAttention: parameters registered in PyTorch's order (so state_dict keys and order match),
// PyTorch's _reset_parameters, batch_first handling around functional::multi_head_attention_forward.
#include "wick/nn/modules/attention.h"

#include "wick/nn/init.h"
#include "wick/ops/creation.h"

namespace wick::nn {

MultiheadAttentionImpl::MultiheadAttentionImpl(int64_t embed_dim_, int64_t num_heads_,
                                               MultiheadAttentionOptions o)
    : Module("MultiheadAttention"), embed_dim(embed_dim_), kdim(o.kdim.value_or(embed_dim_)),
      vdim(o.vdim.value_or(embed_dim_)), num_heads(num_heads_), head_dim(0), dropout(o.dropout),
      batch_first(o.batch_first), add_zero_attn(o.add_zero_attn) {
  WICK_CHECK(embed_dim > 0 && num_heads > 0, "MultiheadAttention: embed_dim and num_heads must be greater than 0, got ",
             embed_dim, " and ", num_heads);
  WICK_CHECK(embed_dim % num_heads == 0, "MultiheadAttention: embed_dim must be divisible by num_heads, got embed_dim=",
             embed_dim, " and num_heads=", num_heads);
  head_dim = embed_dim / num_heads;
  TensorOptions f{.dtype = o.dtype.value_or(default_dtype()), .device = o.device.value_or(Device(kCPU))};
  if (kdim == embed_dim && vdim == embed_dim) {
    in_proj_weight = register_parameter("in_proj_weight", empty({3 * embed_dim, embed_dim}, f));
  } else {
    q_proj_weight = register_parameter("q_proj_weight", empty({embed_dim, embed_dim}, f));
    k_proj_weight = register_parameter("k_proj_weight", empty({embed_dim, kdim}, f));
    v_proj_weight = register_parameter("v_proj_weight", empty({embed_dim, vdim}, f));
  }
  if (o.bias) in_proj_bias = register_parameter("in_proj_bias", empty({3 * embed_dim}, f));
  if (o.add_bias_kv) {
    bias_k = register_parameter("bias_k", empty({1, 1, embed_dim}, f));
    bias_v = register_parameter("bias_v", empty({1, 1, embed_dim}, f));
  }
  out_proj = register_module("out_proj", NonDynamicallyQuantizableLinear(
                                             embed_dim, embed_dim, {.bias = o.bias, .device = o.device, .dtype = o.dtype}));
  reset_parameters();
}

void MultiheadAttentionImpl::reset_parameters() {
  for (Tensor* w : {&in_proj_weight, &q_proj_weight, &k_proj_weight, &v_proj_weight})
    if (w->defined()) init::xavier_uniform_(*w);
  if (in_proj_bias.defined()) {
    init::constant_(in_proj_bias, 0.0);
    init::constant_(out_proj->bias, 0.0);
  }
  if (bias_k.defined()) init::xavier_normal_(bias_k);
  if (bias_v.defined()) init::xavier_normal_(bias_v);
}

std::tuple<Tensor, Tensor> MultiheadAttentionImpl::forward(const Tensor& query, const Tensor& key,
                                                           const Tensor& value, const Tensor& key_padding_mask,
                                                           bool need_weights, const Tensor& attn_mask,
                                                           bool average_attn_weights) {
  const bool batched = query.dim() == 3;
  auto seq_first = [&](const Tensor& t) { return batch_first && batched ? t.transpose(0, 1) : t; };
  functional::MultiheadAttentionForwardOptions fo{
      .training = is_training(),
      .key_padding_mask = key_padding_mask,
      .need_weights = need_weights,
      .attn_mask = attn_mask,
      .use_separate_proj_weight = !in_proj_weight.defined(),
      .q_proj_weight = q_proj_weight,
      .k_proj_weight = k_proj_weight,
      .v_proj_weight = v_proj_weight,
      .average_attn_weights = average_attn_weights};
  auto [out, weights] = functional::multi_head_attention_forward(
      seq_first(query), seq_first(key), seq_first(value), embed_dim, num_heads, in_proj_weight,
      in_proj_bias, bias_k, bias_v, add_zero_attn, dropout, out_proj->weight, out_proj->bias, fo);
  return {seq_first(out), weights};
}

NonDynamicallyQuantizableLinear::NonDynamicallyQuantizableLinear(int64_t in_features,
                                                                 int64_t out_features,
                                                                 LinearOptions options)
    : ModuleHolder<NonDynamicallyQuantizableLinearImpl>(in_features, out_features, options) {}

MultiheadAttention::MultiheadAttention(int64_t embed_dim, int64_t num_heads,
                                       MultiheadAttentionOptions options)
    : ModuleHolder<MultiheadAttentionImpl>(embed_dim, num_heads, options) {}

}  // namespace wick::nn
