// Transformer layers (torch.nn.TransformerEncoderLayer/DecoderLayer, TransformerEncoder/Decoder,
// Transformer): PyTorch's submodule names (so state_dict keys and printing match), post- or pre-norm
// (norm_first), relu/gelu. No nested-tensor fast path; no custom_encoder/custom_decoder.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "wick/nn/any_module.h"
#include "wick/nn/containers/module_list.h"
#include "wick/nn/modules/attention.h"
#include "wick/nn/modules/dropout.h"
#include "wick/nn/modules/linear.h"
#include "wick/nn/modules/normalization.h"

namespace wick::nn {

struct TransformerEncoderLayerOptions {
  int64_t dim_feedforward = 2048;
  double dropout = 0.1;
  std::string activation = "relu";  // or "gelu"
  double layer_norm_eps = 1e-5;
  bool batch_first = false;
  bool norm_first = false;  // pre-norm: x + f(norm(x)) instead of norm(x + f(x))
  std::optional<Device> device = std::nullopt;
  std::optional<DType> dtype = std::nullopt;
};
using TransformerDecoderLayerOptions = TransformerEncoderLayerOptions;

struct TransformerEncoderLayerImpl : Module {
  TransformerEncoderLayerImpl(int64_t d_model, int64_t nhead, TransformerEncoderLayerOptions options = {});
  // src (S, N, E) / (N, S, E) with batch_first / (S, E); src_mask (S, S) or (N*nhead, S, S);
  // src_key_padding_mask (N, S). Masks as MultiheadAttention's (bool true = not allowed).
  Tensor forward(const Tensor& src, const Tensor& src_mask = {}, const Tensor& src_key_padding_mask = {});

  MultiheadAttention self_attn = nullptr;
  Linear linear1 = nullptr;
  Dropout dropout = nullptr;
  Linear linear2 = nullptr;
  LayerNorm norm1 = nullptr, norm2 = nullptr;
  Dropout dropout1 = nullptr, dropout2 = nullptr;
  std::string activation;
  bool norm_first;
};

struct TransformerDecoderLayerImpl : Module {
  TransformerDecoderLayerImpl(int64_t d_model, int64_t nhead, TransformerDecoderLayerOptions options = {});
  // tgt (T, N, E), memory (S, N, E) (batch_first: N first); tgt_mask (T, T), memory_mask (T, S).
  Tensor forward(const Tensor& tgt, const Tensor& memory, const Tensor& tgt_mask = {},
                 const Tensor& memory_mask = {}, const Tensor& tgt_key_padding_mask = {},
                 const Tensor& memory_key_padding_mask = {});

  MultiheadAttention self_attn = nullptr, multihead_attn = nullptr;
  Linear linear1 = nullptr;
  Dropout dropout = nullptr;
  Linear linear2 = nullptr;
  LayerNorm norm1 = nullptr, norm2 = nullptr, norm3 = nullptr;
  Dropout dropout1 = nullptr, dropout2 = nullptr, dropout3 = nullptr;
  std::string activation;
  bool norm_first;
};

#define WICK_TRANSFORMER_LAYER_HOLDER(Name)                           \
  class Name : public ModuleHolder<Name##Impl> {                      \
   public:                                                            \
    using ModuleHolder<Name##Impl>::ModuleHolder;                     \
    Name(int64_t d_model, int64_t nhead, Name##Options options = {}); \
  }
WICK_TRANSFORMER_LAYER_HOLDER(TransformerEncoderLayer);
WICK_TRANSFORMER_LAYER_HOLDER(TransformerDecoderLayer);
#undef WICK_TRANSFORMER_LAYER_HOLDER

struct TransformerEncoderOptions {
  AnyModule norm = {};  // applied to the last layer's output when set (e.g. nn::LayerNorm({512}))
};
using TransformerDecoderOptions = TransformerEncoderOptions;

// num_layers deep copies (Module::clone) of encoder_layer, in `layers`.
struct TransformerEncoderImpl : Module {
  TransformerEncoderImpl(const TransformerEncoderLayer& encoder_layer, int64_t num_layers,
                         TransformerEncoderOptions options = {});
  Tensor forward(const Tensor& src, const Tensor& mask = {}, const Tensor& src_key_padding_mask = {});

  ModuleList layers;
  int64_t num_layers;
  AnyModule norm;

 private:
  std::vector<TransformerEncoderLayer> typed_layers_;
};

struct TransformerDecoderImpl : Module {
  TransformerDecoderImpl(const TransformerDecoderLayer& decoder_layer, int64_t num_layers,
                         TransformerDecoderOptions options = {});
  Tensor forward(const Tensor& tgt, const Tensor& memory, const Tensor& tgt_mask = {},
                 const Tensor& memory_mask = {}, const Tensor& tgt_key_padding_mask = {},
                 const Tensor& memory_key_padding_mask = {});

  ModuleList layers;
  int64_t num_layers;
  AnyModule norm;

 private:
  std::vector<TransformerDecoderLayer> typed_layers_;
};

#define WICK_TRANSFORMER_STACK_HOLDER(Name, Layer)                            \
  class Name : public ModuleHolder<Name##Impl> {                              \
   public:                                                                    \
    using ModuleHolder<Name##Impl>::ModuleHolder;                             \
    Name(const Layer& layer, int64_t num_layers, Name##Options options = {}); \
  }
WICK_TRANSFORMER_STACK_HOLDER(TransformerEncoder, TransformerEncoderLayer);
WICK_TRANSFORMER_STACK_HOLDER(TransformerDecoder, TransformerDecoderLayer);
#undef WICK_TRANSFORMER_STACK_HOLDER

struct TransformerOptions {
  int64_t d_model = 512;
  int64_t nhead = 8;
  int64_t num_encoder_layers = 6;
  int64_t num_decoder_layers = 6;
  int64_t dim_feedforward = 2048;
  double dropout = 0.1;
  std::string activation = "relu";
  double layer_norm_eps = 1e-5;
  bool batch_first = false;
  bool norm_first = false;
  std::optional<Device> device = std::nullopt;
  std::optional<DType> dtype = std::nullopt;
};

// encoder (with a final LayerNorm) and decoder (likewise); parameters with dim > 1 xavier_uniform_.
struct TransformerImpl : Module {
  explicit TransformerImpl(TransformerOptions options = {});
  // src (S, N, E), tgt (T, N, E) (batch_first: N first; unbatched: no N) -> (T, N, E)
  Tensor forward(const Tensor& src, const Tensor& tgt, const Tensor& src_mask = {},
                 const Tensor& tgt_mask = {}, const Tensor& memory_mask = {},
                 const Tensor& src_key_padding_mask = {}, const Tensor& tgt_key_padding_mask = {},
                 const Tensor& memory_key_padding_mask = {});
  // (sz, sz) float: 0 on and below the diagonal, -inf above (each position sees only the past).
  static Tensor generate_square_subsequent_mask(int64_t sz, TensorOptions options = {});

  TransformerEncoder encoder = nullptr;
  TransformerDecoder decoder = nullptr;
  int64_t d_model, nhead;
  bool batch_first;
};
WICK_OPTIONS_MODULE(Transformer, TransformerOptions);

}  // namespace wick::nn
