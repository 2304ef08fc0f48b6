// nn::utils::rnn (torch.nn.utils.rnn): PackedSequence and pack_padded_sequence,
// pad_packed_sequence, pad_sequence, pack_sequence. Written with Tensor ops (slices, cat, stack,
// index_select), so gradients flow through packing and padding. The RNN modules accept a
// PackedSequence (nn/modules/rnn.h); nothing here knows about them.
#pragma once

#include <optional>
#include <tuple>
#include <vector>

#include "wick/core/tensor.h"

namespace wick::nn::utils::rnn {

// A batch of variable-length sequences, time-major and packed: data (sum of lengths, *) holds step
// 0 of every sequence, then step 1 of those still running, ...; batch_sizes (T) int64 on the CPU
// says how many at each step. Sequences are stored longest first; sorted_indices (B) maps that
// order to the caller's and unsorted_indices (B) back (both undefined when the caller's batch was
// already sorted).
struct PackedSequence {
  Tensor data, batch_sizes, sorted_indices, unsorted_indices;
};

struct PackPaddedSequenceOptions {
  bool batch_first = false;
  bool enforce_sorted = true;  // false: lengths may come in any order (the batch is sorted here)
};

// input (T, B, *) or (B, T, *) with batch_first, padded; lengths (B) of each sequence, each in
// [1, T]. With enforce_sorted, lengths must be non-increasing.
PackedSequence pack_padded_sequence(const Tensor& input, const Tensor& lengths,
                                    PackPaddedSequenceOptions options = {});
PackedSequence pack_padded_sequence(const Tensor& input, const std::vector<int64_t>& lengths,
                                    PackPaddedSequenceOptions options = {});

struct PadPackedSequenceOptions {
  bool batch_first = false;
  double padding_value = 0.0;
  std::optional<int64_t> total_length = std::nullopt;  // pad to this many steps (>= the longest)
};

// The inverse of pack_padded_sequence: (padded (T, B, *) or (B, T, *), lengths (B) int64), in the
// caller's original batch order.
std::tuple<Tensor, Tensor> pad_packed_sequence(const PackedSequence& sequence,
                                               PadPackedSequenceOptions options = {});

struct PadSequenceOptions {
  bool batch_first = false;
  double padding_value = 0.0;
};

// sequences: B tensors (L_i, *) with equal trailing dims -> (max L, B, *) or (B, max L, *).
Tensor pad_sequence(const std::vector<Tensor>& sequences, PadSequenceOptions options = {});

struct PackSequenceOptions {
  bool enforce_sorted = true;
};

// sequences: B tensors (L_i, *) -> their PackedSequence (pad_sequence + pack_padded_sequence).
PackedSequence pack_sequence(const std::vector<Tensor>& sequences, PackSequenceOptions options = {});

}  // namespace wick::nn::utils::rnn
