// nn::functional embedding, embedding_bag and one_hot (torch.nn.functional.embedding/
// embedding_bag/one_hot), with PyTorch's optional arguments in options structs:
// F::embedding(x, w, {.padding_idx = 0}).
// Gradients are dense (sparse = true is accepted and gives the same dense gradient).
#pragma once

#include <optional>
#include <string>

#include "wick/core/tensor.h"
#include "wick/ops/indexing.h"

namespace wick::nn::functional {

// torch.nn.functional.one_hot is the Tensor op (wick/ops/indexing.h), under its F:: name too.
using ::wick::one_hot;

struct EmbeddingFuncOptions {
  std::optional<int64_t> padding_idx = std::nullopt;  // that row gets no gradient
  std::optional<double> max_norm = std::nullopt;      // looked-up rows renormalized in place
  double norm_type = 2.0;
  bool scale_grad_by_freq = false;  // gradient of a row divided by its count in the batch
  bool sparse = false;
};

// input (*) int64 indices, weight (num_embeddings, embedding_dim) -> (*, embedding_dim)
Tensor embedding(const Tensor& input, const Tensor& weight, EmbeddingFuncOptions options = {});

struct EmbeddingBagFuncOptions {
  Tensor offsets = {};  // with a 1-D input: where each bag starts
  std::optional<double> max_norm = std::nullopt;
  double norm_type = 2.0;
  bool scale_grad_by_freq = false;
  std::string mode = "mean";  // "sum", "mean" or "max"
  bool sparse = false;
  Tensor per_sample_weights = {};  // input's shape; only with mode "sum"
  bool include_last_offset = false;
  std::optional<int64_t> padding_idx = std::nullopt;  // entries equal to it are skipped
};

// input (B, L) (bags of L) or 1-D with offsets (B) -> (B, embedding_dim); an empty bag gives 0.
Tensor embedding_bag(const Tensor& input, const Tensor& weight,
                     EmbeddingBagFuncOptions options = {});

}  // namespace wick::nn::functional
