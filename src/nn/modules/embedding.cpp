// Embedding and EmbeddingBag: weight creation (N(0, 1), padding row zeroed, or a given tensor),
// from_pretrained, printing as PyTorch 1.13; the lookups are functional (embedding.cpp).
#include "wick/nn/modules/embedding.h"

#include "wick/autograd/grad_mode.h"
#include "wick/nn/init.h"
#include "wick/ops/creation.h"

namespace wick::nn {
namespace {

std::optional<int64_t> wrap_padding(std::optional<int64_t> padding_idx, int64_t num,
                                    const char* module) {
  if (!padding_idx) return padding_idx;
  WICK_CHECK(*padding_idx < num && *padding_idx >= -num, module,
             ": Padding_idx must be within num_embeddings, got ", *padding_idx, " for ", num,
             " embeddings");
  return *padding_idx < 0 ? *padding_idx + num : *padding_idx;
}

// The weight: `given` (checked against the shape) or a new (num, dim) tensor.
Tensor make_weight(const Tensor& given, int64_t num, int64_t dim, std::optional<DType> dtype,
                   std::optional<Device> device, const char* module) {
  if (given.defined()) {
    WICK_CHECK(given.dim() == 2 && given.size(0) == num && given.size(1) == dim, module,
               ": Shape of weight does not match num_embeddings and embedding_dim: expected [", num,
               ", ", dim, "], got ", given.sizes());
    return given;
  }
  WICK_CHECK(num >= 0 && dim >= 0, module,
             ": num_embeddings and embedding_dim must be non-negative, got ", num, " and ", dim);
  return empty({num, dim},
               {.dtype = dtype.value_or(default_dtype()), .device = device.value_or(Device(kCPU))});
}

// N(0, 1), then the padding row set to 0.
void init_weight(const Tensor& weight, std::optional<int64_t> padding_idx) {
  init::normal_(weight);
  if (padding_idx) {
    NoGradGuard ng;
    weight[*padding_idx].fill_(0);
  }
}

std::string norm_settings(const std::optional<Scalar>& max_norm, const Scalar& norm_type) {
  std::string s;
  if (max_norm) s += ", max_norm=" + detail::py_repr(*max_norm);
  if (norm_type.to_double() != 2.0) s += ", norm_type=" + detail::py_repr(norm_type);
  return s;
}

std::optional<double> as_double(const std::optional<Scalar>& v) {
  return v ? std::optional<double>(v->to_double()) : std::nullopt;
}

}  // namespace

EmbeddingImpl::EmbeddingImpl(int64_t num, int64_t dim, EmbeddingOptions o)
    : Module("Embedding"),
      num_embeddings(num),
      embedding_dim(dim),
      padding_idx(wrap_padding(o.padding_idx, num, "Embedding")),
      max_norm(o.max_norm),
      norm_type(o.norm_type),
      scale_grad_by_freq(o.scale_grad_by_freq),
      sparse(o.sparse) {
  weight = register_parameter("weight",
                              make_weight(o._weight, num, dim, o.dtype, o.device, "Embedding"));
  if (!o._weight.defined()) init_weight(weight, padding_idx);
}

void EmbeddingImpl::reset_parameters() { init_weight(weight, padding_idx); }

Tensor EmbeddingImpl::forward(const Tensor& input) {
  return functional::embedding(input, weight,
                               {.padding_idx = padding_idx,
                                .max_norm = as_double(max_norm),
                                .norm_type = norm_type.to_double(),
                                .scale_grad_by_freq = scale_grad_by_freq,
                                .sparse = sparse});
}

std::string EmbeddingImpl::extra_repr() const {
  std::string s = std::to_string(num_embeddings) + ", " + std::to_string(embedding_dim);
  if (padding_idx) s += ", padding_idx=" + std::to_string(*padding_idx);
  s += norm_settings(max_norm, norm_type);
  if (scale_grad_by_freq) s += ", scale_grad_by_freq=True";
  if (sparse) s += ", sparse=True";
  return s;
}

Embedding Embedding::from_pretrained(const Tensor& embeddings, EmbeddingFromPretrainedOptions o) {
  WICK_CHECK(
      embeddings.dim() == 2,
      "Embedding.from_pretrained: Embeddings parameter is expected to be 2-dimensional, got ",
      embeddings.sizes());
  Tensor w = embeddings.detach().clone();
  Embedding m(embeddings.size(0), embeddings.size(1),
              {.padding_idx = o.padding_idx,
               .max_norm = o.max_norm,
               .norm_type = o.norm_type,
               .scale_grad_by_freq = o.scale_grad_by_freq,
               .sparse = o.sparse,
               ._weight = w});
  m->weight.requires_grad_(!o.freeze);
  return m;
}

Embedding Embedding::from_pretrained(const Tensor& embeddings, bool freeze,
                                     std::optional<int64_t> padding_idx) {
  return from_pretrained(
      embeddings, EmbeddingFromPretrainedOptions{.freeze = freeze, .padding_idx = padding_idx});
}

EmbeddingBagImpl::EmbeddingBagImpl(int64_t num, int64_t dim, EmbeddingBagOptions o)
    : Module("EmbeddingBag"),
      num_embeddings(num),
      embedding_dim(dim),
      max_norm(o.max_norm),
      norm_type(o.norm_type),
      scale_grad_by_freq(o.scale_grad_by_freq),
      mode(o.mode),
      sparse(o.sparse),
      include_last_offset(o.include_last_offset),
      padding_idx(wrap_padding(o.padding_idx, num, "EmbeddingBag")) {
  WICK_CHECK(mode == "sum" || mode == "mean" || mode == "max",
             "EmbeddingBag: mode has to be one of sum, mean or max, got '", mode, "'");
  weight = register_parameter("weight",
                              make_weight(o._weight, num, dim, o.dtype, o.device, "EmbeddingBag"));
  if (!o._weight.defined()) init_weight(weight, padding_idx);
}

void EmbeddingBagImpl::reset_parameters() { init_weight(weight, padding_idx); }

Tensor EmbeddingBagImpl::forward(const Tensor& input, const Tensor& offsets,
                                 const Tensor& per_sample_weights) {
  return functional::embedding_bag(input, weight,
                                   {.offsets = offsets,
                                    .max_norm = as_double(max_norm),
                                    .norm_type = norm_type.to_double(),
                                    .scale_grad_by_freq = scale_grad_by_freq,
                                    .mode = mode,
                                    .sparse = sparse,
                                    .per_sample_weights = per_sample_weights,
                                    .include_last_offset = include_last_offset,
                                    .padding_idx = padding_idx});
}

// PyTorch 1.13 prints mode without quotes and omits include_last_offset.
std::string EmbeddingBagImpl::extra_repr() const {
  std::string s = std::to_string(num_embeddings) + ", " + std::to_string(embedding_dim);
  s += norm_settings(max_norm, norm_type);
  if (scale_grad_by_freq) s += ", scale_grad_by_freq=True";
  s += ", mode=" + mode;
  if (padding_idx) s += ", padding_idx=" + std::to_string(*padding_idx);
  return s;
}

EmbeddingBag EmbeddingBag::from_pretrained(const Tensor& embeddings,
                                           EmbeddingBagFromPretrainedOptions o) {
  WICK_CHECK(
      embeddings.dim() == 2,
      "EmbeddingBag.from_pretrained: Embeddings parameter is expected to be 2-dimensional, got ",
      embeddings.sizes());
  Tensor w = embeddings.detach().clone();
  EmbeddingBag m(embeddings.size(0), embeddings.size(1),
                 {.max_norm = o.max_norm,
                  .norm_type = o.norm_type,
                  .scale_grad_by_freq = o.scale_grad_by_freq,
                  .mode = o.mode,
                  .sparse = o.sparse,
                  ._weight = w,
                  .include_last_offset = o.include_last_offset,
                  .padding_idx = o.padding_idx});
  m->weight.requires_grad_(!o.freeze);
  return m;
}

Embedding::Embedding(int64_t num_embeddings, int64_t embedding_dim, EmbeddingOptions options)
    : ModuleHolder<EmbeddingImpl>(num_embeddings, embedding_dim, options) {}

EmbeddingBag::EmbeddingBag(int64_t num_embeddings, int64_t embedding_dim,
                           EmbeddingBagOptions options)
    : ModuleHolder<EmbeddingBagImpl>(num_embeddings, embedding_dim, options) {}

}  // namespace wick::nn
