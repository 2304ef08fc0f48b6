// Embedding and EmbeddingBag (torch.nn.*): weight (num_embeddings, embedding_dim) ~ N(0, 1) with
// the padding_idx row zeroed; from_pretrained copies given weights (frozen by default). Printed
// as PyTorch 1.13 (`Embedding(10, 3, padding_idx=0)`, `EmbeddingBag(10, 3, mode=mean)`).
#pragma once

#include <optional>
#include <string>

#include "wick/core/device.h"
#include "wick/nn/functional/embedding.h"
#include "wick/nn/modules/common.h"

namespace wick::nn {

// max_norm and norm_type are Scalars so that max_norm=1 prints as Python prints the int.
struct EmbeddingOptions {
  std::optional<int64_t> padding_idx = std::nullopt;  // negative counts from the end
  std::optional<Scalar> max_norm = std::nullopt;
  Scalar norm_type = 2.0;
  bool scale_grad_by_freq = false;
  bool sparse = false;
  Tensor _weight = {};  // use this tensor as the weight (shape (num_embeddings, embedding_dim))
  std::optional<Device> device = std::nullopt;
  std::optional<DType> dtype = std::nullopt;
};

struct EmbeddingFromPretrainedOptions {
  bool freeze = true;
  std::optional<int64_t> padding_idx = std::nullopt;
  std::optional<Scalar> max_norm = std::nullopt;
  Scalar norm_type = 2.0;
  bool scale_grad_by_freq = false;
  bool sparse = false;
};

struct EmbeddingImpl : Module {
  EmbeddingImpl(int64_t num_embeddings, int64_t embedding_dim, EmbeddingOptions options = {});
  Tensor forward(const Tensor& input);
  void reset_parameters();  // N(0, 1), padding row 0
  std::string extra_repr() const override;

  int64_t num_embeddings, embedding_dim;
  std::optional<int64_t> padding_idx;  // wrapped to [0, num_embeddings)
  std::optional<Scalar> max_norm;
  Scalar norm_type;
  bool scale_grad_by_freq, sparse;
  Tensor weight;
};

class Embedding : public ModuleHolder<EmbeddingImpl> {
 public:
  using ModuleHolder<EmbeddingImpl>::ModuleHolder;
  Embedding(int64_t num_embeddings, int64_t embedding_dim,
            EmbeddingOptions options = {});  // NOLINT
  // embeddings (num_embeddings, embedding_dim) become the weight (copied); freeze: no gradient.
  static Embedding from_pretrained(const Tensor& embeddings,
                                   EmbeddingFromPretrainedOptions options = {});
  static Embedding from_pretrained(const Tensor& embeddings, bool freeze,
                                   std::optional<int64_t> padding_idx = std::nullopt);
};

struct EmbeddingBagOptions {
  std::optional<Scalar> max_norm = std::nullopt;
  Scalar norm_type = 2.0;
  bool scale_grad_by_freq = false;
  std::string mode = "mean";
  bool sparse = false;
  Tensor _weight = {};
  bool include_last_offset = false;
  std::optional<int64_t> padding_idx = std::nullopt;
  std::optional<Device> device = std::nullopt;
  std::optional<DType> dtype = std::nullopt;
};

struct EmbeddingBagFromPretrainedOptions {
  bool freeze = true;
  std::optional<Scalar> max_norm = std::nullopt;
  Scalar norm_type = 2.0;
  bool scale_grad_by_freq = false;
  std::string mode = "mean";
  bool sparse = false;
  bool include_last_offset = false;
  std::optional<int64_t> padding_idx = std::nullopt;
};

struct EmbeddingBagImpl : Module {
  EmbeddingBagImpl(int64_t num_embeddings, int64_t embedding_dim, EmbeddingBagOptions options = {});
  // input (B, L), or 1-D with offsets (B); per_sample_weights: input's shape (mode "sum").
  Tensor forward(const Tensor& input, const Tensor& offsets = {},
                 const Tensor& per_sample_weights = {});
  void reset_parameters();
  std::string extra_repr() const override;

  int64_t num_embeddings, embedding_dim;
  std::optional<Scalar> max_norm;
  Scalar norm_type;
  bool scale_grad_by_freq;
  std::string mode;
  bool sparse, include_last_offset;
  std::optional<int64_t> padding_idx;
  Tensor weight;
};

class EmbeddingBag : public ModuleHolder<EmbeddingBagImpl> {
 public:
  using ModuleHolder<EmbeddingBagImpl>::ModuleHolder;
  EmbeddingBag(int64_t num_embeddings, int64_t embedding_dim,
               EmbeddingBagOptions options = {});  // NOLINT
  static EmbeddingBag from_pretrained(const Tensor& embeddings,
                                      EmbeddingBagFromPretrainedOptions options = {});
};

}  // namespace wick::nn
