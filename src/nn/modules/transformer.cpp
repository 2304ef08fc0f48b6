// Transformer encoder/decoder layers, their stacks and nn::Transformer, following PyTorch 1.13's
// slow path (the one taken whenever gradients are needed), so results equal its outputs.
#include "wick/nn/modules/transformer.h"

#include <limits>

#include "wick/nn/functional/activation.h"
#include "wick/nn/init.h"
#include "wick/ops/creation.h"

namespace wick::nn {
namespace {

void check_activation(const std::string& a) {
  WICK_CHECK(a == "relu" || a == "gelu", "activation should be relu/gelu, not ", a);
}

Tensor activate(const std::string& a, const Tensor& x) {
  return a == "relu" ? functional::relu(x) : functional::gelu(x);
}

// The (Linear, Dropout, Linear) feed-forward and the norms/dropouts both layer kinds share.
template <typename Layer>
void build_common(Layer& l, int64_t d_model, const TransformerEncoderLayerOptions& o) {
  constexpr bool decoder = requires(Layer& x) { x.norm3; };
  LinearOptions lo{.device = o.device, .dtype = o.dtype};
  l.linear1 = l.register_module("linear1", Linear(d_model, o.dim_feedforward, lo));
  l.dropout = l.register_module("dropout", Dropout(o.dropout));
  l.linear2 = l.register_module("linear2", Linear(o.dim_feedforward, d_model, lo));
  LayerNormOptions no{.eps = o.layer_norm_eps, .device = o.device, .dtype = o.dtype};
  l.norm1 = l.register_module("norm1", LayerNorm({d_model}, no));
  l.norm2 = l.register_module("norm2", LayerNorm({d_model}, no));
  if constexpr (decoder) l.norm3 = l.register_module("norm3", LayerNorm({d_model}, no));
  l.dropout1 = l.register_module("dropout1", Dropout(o.dropout));
  l.dropout2 = l.register_module("dropout2", Dropout(o.dropout));
  if constexpr (decoder) l.dropout3 = l.register_module("dropout3", Dropout(o.dropout));
}

MultiheadAttention make_attention(int64_t d_model, int64_t nhead, const TransformerEncoderLayerOptions& o) {
  return MultiheadAttention(d_model, nhead,
                            {.dropout = o.dropout, .batch_first = o.batch_first, .device = o.device, .dtype = o.dtype});
}

template <typename Layer>
Tensor feed_forward(Layer& l, const Tensor& x, Dropout& last) {
  return last(l.linear2(l.dropout(activate(l.activation, l.linear1(x)))));
}

// Self- or cross-attention block: dropout(attn(x, mem, mem)) without weights.
Tensor attention_block(MultiheadAttention& attn, Dropout& drop, const Tensor& x, const Tensor& mem,
                       const Tensor& mask, const Tensor& key_padding_mask) {
  return drop(std::get<0>(attn(x, mem, mem, key_padding_mask, false, mask)));
}

}  // namespace

TransformerEncoderLayerImpl::TransformerEncoderLayerImpl(int64_t d_model, int64_t nhead,
                                                         TransformerEncoderLayerOptions o)
    : Module("TransformerEncoderLayer"), activation(o.activation), norm_first(o.norm_first) {
  check_activation(activation);
  self_attn = register_module("self_attn", make_attention(d_model, nhead, o));
  build_common(*this, d_model, o);
}

Tensor TransformerEncoderLayerImpl::forward(const Tensor& src, const Tensor& src_mask,
                                            const Tensor& src_key_padding_mask) {
  Tensor x = src;
  if (norm_first) {
    Tensor n = norm1(x);
    x = x + attention_block(self_attn, dropout1, n, n, src_mask, src_key_padding_mask);
    x = x + feed_forward(*this, norm2(x), dropout2);
  } else {
    x = norm1(x + attention_block(self_attn, dropout1, x, x, src_mask, src_key_padding_mask));
    x = norm2(x + feed_forward(*this, x, dropout2));
  }
  return x;
}

TransformerDecoderLayerImpl::TransformerDecoderLayerImpl(int64_t d_model, int64_t nhead,
                                                         TransformerDecoderLayerOptions o)
    : Module("TransformerDecoderLayer"), activation(o.activation), norm_first(o.norm_first) {
  check_activation(activation);
  self_attn = register_module("self_attn", make_attention(d_model, nhead, o));
  multihead_attn = register_module("multihead_attn", make_attention(d_model, nhead, o));
  build_common(*this, d_model, o);
}

Tensor TransformerDecoderLayerImpl::forward(const Tensor& tgt, const Tensor& memory, const Tensor& tgt_mask,
                                            const Tensor& memory_mask, const Tensor& tgt_key_padding_mask,
                                            const Tensor& memory_key_padding_mask) {
  Tensor x = tgt;
  if (norm_first) {
    Tensor n = norm1(x);
    x = x + attention_block(self_attn, dropout1, n, n, tgt_mask, tgt_key_padding_mask);
    x = x + attention_block(multihead_attn, dropout2, norm2(x), memory, memory_mask, memory_key_padding_mask);
    x = x + feed_forward(*this, norm3(x), dropout3);
  } else {
    x = norm1(x + attention_block(self_attn, dropout1, x, x, tgt_mask, tgt_key_padding_mask));
    x = norm2(x + attention_block(multihead_attn, dropout2, x, memory, memory_mask, memory_key_padding_mask));
    x = norm3(x + feed_forward(*this, x, dropout3));
  }
  return x;
}

namespace {

// num_layers clones of `layer` appended to `list` (registered) and kept typed in `typed`.
template <typename Holder>
void clone_layers(const Holder& layer, int64_t num_layers, ModuleList& list, std::vector<Holder>& typed,
                  const char* who) {
  WICK_CHECK(!layer.is_empty(), who, ": the layer to copy is empty");
  WICK_CHECK(num_layers >= 0, who, ": num_layers must be non-negative, got ", num_layers);
  using Impl = typename Holder::ContainedType;
  for (int64_t i = 0; i < num_layers; ++i) {
    auto copy = std::dynamic_pointer_cast<Impl>(layer->clone());
    list->append(AnyModule(copy));
    typed.emplace_back(copy);
  }
}

Tensor apply_norm(const AnyModule& norm, const Tensor& x) { return norm.is_empty() ? x : norm(x); }

}  // namespace

TransformerEncoderImpl::TransformerEncoderImpl(const TransformerEncoderLayer& encoder_layer, int64_t num_layers_,
                                               TransformerEncoderOptions o)
    : Module("TransformerEncoder"), num_layers(num_layers_), norm(o.norm) {
  layers = register_module("layers", ModuleList());
  clone_layers(encoder_layer, num_layers, layers, typed_layers_, "TransformerEncoder");
  if (!norm.is_empty()) register_module("norm", norm.ptr());
}

Tensor TransformerEncoderImpl::forward(const Tensor& src, const Tensor& mask, const Tensor& src_key_padding_mask) {
  Tensor x = src;
  for (auto& layer : typed_layers_) x = layer(x, mask, src_key_padding_mask);
  return apply_norm(norm, x);
}

TransformerDecoderImpl::TransformerDecoderImpl(const TransformerDecoderLayer& decoder_layer, int64_t num_layers_,
                                               TransformerDecoderOptions o)
    : Module("TransformerDecoder"), num_layers(num_layers_), norm(o.norm) {
  layers = register_module("layers", ModuleList());
  clone_layers(decoder_layer, num_layers, layers, typed_layers_, "TransformerDecoder");
  if (!norm.is_empty()) register_module("norm", norm.ptr());
}

Tensor TransformerDecoderImpl::forward(const Tensor& tgt, const Tensor& memory, const Tensor& tgt_mask,
                                       const Tensor& memory_mask, const Tensor& tgt_key_padding_mask,
                                       const Tensor& memory_key_padding_mask) {
  Tensor x = tgt;
  for (auto& layer : typed_layers_)
    x = layer(x, memory, tgt_mask, memory_mask, tgt_key_padding_mask, memory_key_padding_mask);
  return apply_norm(norm, x);
}

TransformerImpl::TransformerImpl(TransformerOptions o)
    : Module("Transformer"), d_model(o.d_model), nhead(o.nhead), batch_first(o.batch_first) {
  check_activation(o.activation);
  TransformerEncoderLayerOptions lo{.dim_feedforward = o.dim_feedforward, .dropout = o.dropout,
                                    .activation = o.activation, .layer_norm_eps = o.layer_norm_eps,
                                    .batch_first = o.batch_first, .norm_first = o.norm_first,
                                    .device = o.device, .dtype = o.dtype};
  LayerNormOptions no{.eps = o.layer_norm_eps, .device = o.device, .dtype = o.dtype};
  encoder = register_module("encoder", TransformerEncoder(TransformerEncoderLayer(d_model, nhead, lo),
                                                          o.num_encoder_layers, {.norm = LayerNorm({d_model}, no)}));
  decoder = register_module("decoder", TransformerDecoder(TransformerDecoderLayer(d_model, nhead, lo),
                                                          o.num_decoder_layers, {.norm = LayerNorm({d_model}, no)}));
  for (Tensor& p : parameters())
    if (p.dim() > 1) init::xavier_uniform_(p);
}

Tensor TransformerImpl::forward(const Tensor& src, const Tensor& tgt, const Tensor& src_mask, const Tensor& tgt_mask,
                                const Tensor& memory_mask, const Tensor& src_key_padding_mask,
                                const Tensor& tgt_key_padding_mask, const Tensor& memory_key_padding_mask) {
  const bool batched = src.dim() == 3;
  WICK_CHECK(src.dim() == tgt.dim() && (batched || src.dim() == 2),
             "Transformer: expected src and tgt both 2-D (unbatched) or 3-D, got ", src.sizes(), " and ", tgt.sizes());
  const int64_t batch_dim = batch_first ? 0 : 1;
  WICK_CHECK(!batched || src.size(batch_dim) == tgt.size(batch_dim),
             "the batch number of src and tgt must be equal, got ", src.sizes(), " and ", tgt.sizes());
  WICK_CHECK(src.size(-1) == d_model && tgt.size(-1) == d_model,
             "the feature number of src and tgt must be equal to d_model (", d_model, "), got ", src.sizes(), " and ",
             tgt.sizes());
  Tensor memory = encoder(src, src_mask, src_key_padding_mask);
  return decoder(tgt, memory, tgt_mask, memory_mask, tgt_key_padding_mask, memory_key_padding_mask);
}

Tensor TransformerImpl::generate_square_subsequent_mask(int64_t sz, TensorOptions options) {
  TensorOptions idx{.dtype = kInt64, .device = options.device};
  Tensor above = arange(sz, idx).unsqueeze(0).gt(arange(sz, idx).unsqueeze(1));  // column > row
  return zeros({sz, sz}, options).masked_fill(above, -std::numeric_limits<double>::infinity());
}

TransformerEncoderLayer::TransformerEncoderLayer(int64_t d_model, int64_t nhead,
                                                 TransformerEncoderLayerOptions options)
    : ModuleHolder<TransformerEncoderLayerImpl>(d_model, nhead, options) {}
TransformerDecoderLayer::TransformerDecoderLayer(int64_t d_model, int64_t nhead,
                                                 TransformerDecoderLayerOptions options)
    : ModuleHolder<TransformerDecoderLayerImpl>(d_model, nhead, options) {}
TransformerEncoder::TransformerEncoder(const TransformerEncoderLayer& layer, int64_t num_layers,
                                       TransformerEncoderOptions options)
    : ModuleHolder<TransformerEncoderImpl>(layer, num_layers, options) {}
TransformerDecoder::TransformerDecoder(const TransformerDecoderLayer& layer, int64_t num_layers,
                                       TransformerDecoderOptions options)
    : ModuleHolder<TransformerDecoderImpl>(layer, num_layers, options) {}

WICK_OPTIONS_MODULE_CTOR(Transformer, TransformerOptions)

}  // namespace wick::nn
