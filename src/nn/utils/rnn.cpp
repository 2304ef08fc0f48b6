// torch.nn.utils.rnn's packing helpers with Tensor ops: packing is a cat of per-step slices,
// padding a stack of per-step slices topped up with padding rows, so autograd handles both. The
// batch sizes and lengths are small host-side integer lists.
#include "wick/nn/utils/rnn.h"

#include <algorithm>
#include <numeric>
#include <string>

#include "wick/ops/creation.h"
#include "wick/ops/shape_ops.h"

namespace wick::nn::utils::rnn {
namespace {

std::vector<int64_t> host_ints(const Tensor& t) {
  Tensor c = t.detach().cpu().to(kInt64).contiguous();
  const int64_t* p = c.data_ptr<int64_t>();
  return std::vector<int64_t>(p, p + c.numel());
}

Tensor int_tensor(const std::vector<int64_t>& v) { return tensor(v, {.dtype = kInt64}); }

// rows (n, *) followed by `pad` rows of value, along dim 0.
Tensor pad_rows(const Tensor& rows, int64_t pad, double value) {
  if (pad == 0) return rows;
  Shape s(rows.sizes().begin(), rows.sizes().end());
  s[0] = pad;
  return cat({rows, full(s, value, rows.options())}, 0);
}

// Time-major input (T, B, *) with lengths sorted longest first -> (data, batch_sizes).
std::tuple<Tensor, Tensor> pack_sorted(const Tensor& input, const std::vector<int64_t>& lengths) {
  std::vector<int64_t> batch_sizes;
  std::vector<Tensor> steps;
  for (int64_t t = 0; t < lengths.front(); ++t) {
    const auto bs = static_cast<int64_t>(
        std::count_if(lengths.begin(), lengths.end(), [t](int64_t l) { return l > t; }));
    batch_sizes.push_back(bs);
    steps.push_back(input.select(0, t).narrow(0, 0, bs));
  }
  return {steps.size() == 1 ? steps[0] : cat(steps, 0), int_tensor(batch_sizes)};
}

}  // namespace

PackedSequence pack_padded_sequence(const Tensor& input, const std::vector<int64_t>& lengths,
                                    PackPaddedSequenceOptions o) {
  WICK_CHECK(input.dim() >= 2,
             "pack_padded_sequence: expected input of at least 2 dims (T, B, *), got ",
             input.sizes());
  Tensor x = o.batch_first ? input.transpose(0, 1) : input;
  const int64_t steps = x.size(0), batch = x.size(1);
  WICK_CHECK(static_cast<int64_t>(lengths.size()) == batch,
             "pack_padded_sequence: Expected `len(lengths)` to be equal to batch_size, but got ",
             lengths.size(), " (batch_size=", batch, ")");
  for (int64_t l : lengths) {
    WICK_CHECK(l > 0,
               "pack_padded_sequence: Length of all samples has to be greater than 0, but found an "
               "element in 'lengths' that is <= 0");
    WICK_CHECK(l <= steps, "pack_padded_sequence: expected every length to be at most the padded ",
               "sequence length ", steps, ", got ", l);
  }
  PackedSequence out;
  std::vector<int64_t> sorted = lengths;
  if (o.enforce_sorted) {
    WICK_CHECK(std::is_sorted(lengths.rbegin(), lengths.rend()),
               "pack_padded_sequence: `lengths` array must be sorted in decreasing order when "
               "`enforce_sorted` is True. You can pass `enforce_sorted=False` to "
               "pack_padded_sequence and/or pack_sequence to sidestep this requirement if you do "
               "not need ONNX exportability.");
  } else {
    // Longest first; equal lengths keep their order.
    std::vector<int64_t> order(lengths.size()), inverse(lengths.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int64_t a, int64_t b) { return lengths[a] > lengths[b]; });
    for (size_t i = 0; i < order.size(); ++i) {
      sorted[i] = lengths[static_cast<size_t>(order[i])];
      inverse[static_cast<size_t>(order[i])] = static_cast<int64_t>(i);
    }
    out.sorted_indices = int_tensor(order).to(input.device());
    out.unsorted_indices = int_tensor(inverse).to(input.device());
    x = x.index_select(1, out.sorted_indices);
  }
  std::tie(out.data, out.batch_sizes) = pack_sorted(x, sorted);
  return out;
}

PackedSequence pack_padded_sequence(const Tensor& input, const Tensor& lengths,
                                    PackPaddedSequenceOptions options) {
  WICK_CHECK(lengths.dim() == 1,
             "pack_padded_sequence: 'lengths' argument should be a 1D CPU int64 tensor, but got ",
             lengths.dim(), "D tensor");
  return pack_padded_sequence(input, host_ints(lengths), options);
}

std::tuple<Tensor, Tensor> pad_packed_sequence(const PackedSequence& sequence,
                                               PadPackedSequenceOptions o) {
  WICK_CHECK(sequence.data.defined() && sequence.batch_sizes.defined() &&
                 sequence.batch_sizes.dim() == 1 && sequence.batch_sizes.numel() > 0,
             "pad_packed_sequence: expected a PackedSequence with data and 1-D batch_sizes");
  const std::vector<int64_t> batch_sizes = host_ints(sequence.batch_sizes);
  const Tensor& data = sequence.data;
  const auto steps = static_cast<int64_t>(batch_sizes.size());
  const int64_t batch = batch_sizes.front();
  const int64_t total = o.total_length.value_or(steps);
  WICK_CHECK(total >= steps,
             "pad_packed_sequence: Expected total_length to be at least the length of the longest "
             "sequence in input, but got total_length=",
             total, " and max sequence length being ", steps);
  const int64_t rows = std::accumulate(batch_sizes.begin(), batch_sizes.end(), int64_t{0});
  WICK_CHECK(data.dim() >= 1 && data.size(0) == rows, "pad_packed_sequence: expected data with ",
             rows, " rows (the sum of batch_sizes), got ", data.sizes());
  std::vector<Tensor> padded_steps;
  int64_t offset = 0;
  for (int64_t bs : batch_sizes) {
    padded_steps.push_back(pad_rows(data.narrow(0, offset, bs), batch - bs, o.padding_value));
    offset += bs;
  }
  if (total > steps) {
    Shape s(data.sizes().begin(), data.sizes().end());
    s[0] = batch;
    Tensor pad = full(s, o.padding_value, data.options());
    padded_steps.insert(padded_steps.end(), static_cast<size_t>(total - steps), pad);
  }
  Tensor padded = stack(padded_steps, 0);  // (total, B, *)
  std::vector<int64_t> lengths(static_cast<size_t>(batch), 0);
  for (int64_t bs : batch_sizes)
    for (int64_t b = 0; b < bs; ++b) ++lengths[static_cast<size_t>(b)];
  Tensor len = int_tensor(lengths);
  if (sequence.unsorted_indices.defined()) {
    padded = padded.index_select(1, sequence.unsorted_indices);
    len = len.index_select(0, sequence.unsorted_indices.cpu());
  }
  return {o.batch_first ? padded.transpose(0, 1) : padded, len};
}

Tensor pad_sequence(const std::vector<Tensor>& sequences, PadSequenceOptions o) {
  WICK_CHECK(!sequences.empty(), "pad_sequence: received an empty list of sequences");
  int64_t longest = 0;
  for (const Tensor& s : sequences) {
    WICK_CHECK(
        s.dim() >= 1 && s.dim() == sequences[0].dim() &&
            std::equal(s.sizes().begin() + 1, s.sizes().end(), sequences[0].sizes().begin() + 1),
        "pad_sequence: expected sequences (L, *) with equal trailing dims, got ",
        sequences[0].sizes(), " and ", s.sizes());
    longest = std::max(longest, s.size(0));
  }
  std::vector<Tensor> padded;
  for (const Tensor& s : sequences)
    padded.push_back(pad_rows(s, longest - s.size(0), o.padding_value));
  return stack(padded, o.batch_first ? 0 : 1);
}

PackedSequence pack_sequence(const std::vector<Tensor>& sequences, PackSequenceOptions o) {
  std::vector<int64_t> lengths;
  for (const Tensor& s : sequences) lengths.push_back(s.dim() >= 1 ? s.size(0) : 0);
  return pack_padded_sequence(pad_sequence(sequences), lengths,
                              {.enforce_sorted = o.enforce_sorted});
}

}  // namespace wick::nn::utils::rnn
