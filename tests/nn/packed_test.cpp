// nn::utils::rnn (packing and padding) and RNN/LSTM/GRU on PackedSequence input against PyTorch
// goldens: packed data, batch sizes, sort indices, padded results, and for the modules (PyTorch's
// weights loaded by name) outputs, final states and the gradients of input, initial states and
// every parameter, float64 to 1e-9 and float32 to 1e-4; plus errors with PyTorch's messages.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "support/expect_error.h"
#include "support/golden.h"
#include "wick/nn/modules/rnn.h"
#include "wick/nn/utils/rnn.h"
#include "wick/wick.h"

namespace wick {
namespace {

using nn::utils::rnn::PackedSequence;
namespace R = nn::utils::rnn;
using Outs = std::vector<Tensor>;
// Runs the module on the packed input (and initial states, undefined when absent).
using Fwd = std::function<std::pair<PackedSequence, Outs>(const PackedSequence&, const Tensor& h0,
                                                          const Tensor& c0)>;

const testing::Golden& gold() {
  static const testing::Golden g("nn_packed");
  return g;
}

void check_module(const std::string& name, nn::Module& m, const Fwd& fwd, bool batch_first,
                  bool enforce_sorted, DType dt) {
  SCOPED_TRACE(name + (dt == kFloat64 ? " float64" : " float32"));
  const auto& gd = gold();
  const double rtol = dt == kFloat64 ? 1e-9 : 1e-4, atol = dt == kFloat64 ? 1e-11 : 1e-5;
  m.to(dt);
  nn::StateDict sd;
  for (const auto& [k, p] : m.named_parameters()) sd.insert(k, gd[name + ".p." + k].to(dt));
  m.load_state_dict(sd);
  m.zero_grad();
  auto input = [&](const std::string& key) {
    return gd.has(name + "." + key) ? gd[name + "." + key].to(dt).detach().requires_grad_()
                                    : Tensor();
  };
  Tensor x = input("x"), h0 = input("h0"), c0 = input("c0");
  PackedSequence packed = R::pack_padded_sequence(
      x, gd[name + ".lengths"], {.batch_first = batch_first, .enforce_sorted = enforce_sorted});
  auto [out, states] = fwd(packed, h0, c0);
  EXPECT_TRUE(out.batch_sizes.equal(packed.batch_sizes));
  auto [padded, lengths] = R::pad_packed_sequence(out, {.batch_first = batch_first});
  EXPECT_TENSOR_CLOSE(padded.to(kFloat64), gd[name + ".padded"], rtol, atol);
  EXPECT_TRUE(lengths.equal(gd[name + ".lengths"]));
  Outs outs{out.data};
  outs.insert(outs.end(), states.begin(), states.end());
  const std::vector<std::string> keys{"out", "hn", "cn"};
  Tensor loss = zeros({}, {.dtype = dt});
  for (size_t i = 0; i < outs.size(); ++i) {
    EXPECT_TENSOR_CLOSE(outs[i].detach().to(kFloat64), gd[name + "." + keys[i]], rtol, atol);
    loss = loss + (outs[i] * gd[name + ".G" + keys[i]].to(dt)).sum();
  }
  loss.backward();
  EXPECT_TENSOR_CLOSE(x.grad().to(kFloat64), gd[name + ".gx"], rtol, atol);
  if (h0.defined()) {
    EXPECT_TENSOR_CLOSE(h0.grad().to(kFloat64), gd[name + ".gh0"], rtol, atol);
  }
  if (c0.defined()) {
    EXPECT_TENSOR_CLOSE(c0.grad().to(kFloat64), gd[name + ".gc0"], rtol, atol);
  }
  for (const auto& [k, p] : m.named_parameters()) {
    SCOPED_TRACE(k);
    ASSERT_TRUE(p.grad().defined());
    EXPECT_TENSOR_CLOSE(p.grad().to(kFloat64), gd[name + ".g." + k], rtol, atol);
  }
}

template <typename M>
Fwd seq_fwd(M m) {
  return [m](const PackedSequence& x, const Tensor& h0, const Tensor&) mutable {
    auto [out, hn] = m(x, h0);
    return std::pair<PackedSequence, Outs>{out, {hn}};
  };
}

Fwd lstm_fwd(nn::LSTM m) {
  return [m](const PackedSequence& x, const Tensor& h0, const Tensor& c0) mutable {
    auto [out, state] = h0.defined() ? m(x, {h0, c0}) : m(x);
    return std::pair<PackedSequence, Outs>{out, {std::get<0>(state), std::get<1>(state)}};
  };
}

TEST(NnPacked, ModulesMatchPyTorch) {
  for (DType dt : {kFloat64, kFloat32}) {
    {
      nn::RNN m(3, 4, 2, {.bidirectional = true});
      check_module("rnn_bi2_unsorted", *m, seq_fwd(m), false, false, dt);
    }
    {
      nn::RNN m(3, 4, {.nonlinearity = "relu"});
      check_module("rnn_relu_sorted", *m, seq_fwd(m), false, true, dt);
    }
    {
      nn::LSTM m(3, 4, 2, {.bidirectional = true});
      check_module("lstm_bi2_sorted", *m, lstm_fwd(m), false, true, dt);
    }
    {
      nn::LSTM m(3, 5, {.batch_first = true, .bidirectional = true, .proj_size = 2});
      check_module("lstm_proj_bf", *m, lstm_fwd(m), true, false, dt);
    }
    {
      nn::GRU m(3, 4, 2, {.bidirectional = true});
      check_module("gru_bi2_unsorted", *m, seq_fwd(m), false, false, dt);
    }
    {
      nn::GRU m(3, 4, {.bias = false, .batch_first = true});
      check_module("gru_bf_nobias", *m, seq_fwd(m), true, false, dt);
    }
  }
}

// With every length equal, the packed run is the padded run.
TEST(NnPacked, FullLengthsEqualThePaddedRun) {
  manual_seed(3);
  nn::LSTM m(3, 4, 2, {.bidirectional = true});
  m->to(kFloat64);
  Tensor x = randn({5, 2, 3}, {.dtype = kFloat64});
  auto [out, st] = m(x);
  auto [pout, pst] = m(R::pack_padded_sequence(x, std::vector<int64_t>{5, 5}));
  EXPECT_TENSOR_CLOSE(pout.data, out.reshape({10, 8}), 1e-12, 1e-12);
  EXPECT_TENSOR_CLOSE(std::get<0>(pst), std::get<0>(st), 1e-12, 1e-12);
  EXPECT_TENSOR_CLOSE(std::get<1>(pst), std::get<1>(st), 1e-12, 1e-12);
}

TEST(NnPacked, UtilsMatchPyTorch) {
  const auto& gd = gold();
  struct U {
    std::string key;
    std::vector<int64_t> lengths;
    bool batch_first, enforce_sorted;
  };
  for (const U& u : {U{"sorted", {4, 2, 1}, false, true}, U{"unsorted", {2, 4, 3}, false, false},
                     U{"bf", {3, 1, 2}, true, false}}) {
    SCOPED_TRACE(u.key);
    const std::string k = "util." + u.key;
    Tensor x = gd["util.x"].detach().requires_grad_();
    Tensor xi = u.batch_first ? x.transpose(0, 1) : x;
    PackedSequence p = R::pack_padded_sequence(
        xi, u.lengths, {.batch_first = u.batch_first, .enforce_sorted = u.enforce_sorted});
    EXPECT_TENSOR_CLOSE(p.data, gd[k + ".data"], 1e-15, 0);
    EXPECT_TRUE(p.batch_sizes.equal(gd[k + ".batch_sizes"]));
    EXPECT_EQ(p.sorted_indices.defined(), gd.has(k + ".sorted"));
    if (gd.has(k + ".sorted")) {
      EXPECT_TRUE(p.sorted_indices.equal(gd[k + ".sorted"]));
      EXPECT_TRUE(p.unsorted_indices.equal(gd[k + ".unsorted"]));
    }
    (p.data * gd[k + ".G"]).sum().backward();
    EXPECT_TENSOR_CLOSE(x.grad(), gd[k + ".gx"], 1e-15, 0);
    auto [padded, lens] = R::pad_packed_sequence(
        p, {.batch_first = u.batch_first, .padding_value = -1.5, .total_length = 6});
    EXPECT_TENSOR_CLOSE(padded, gd[k + ".padded"], 1e-15, 0);
    EXPECT_TRUE(lens.equal(gd[k + ".padded_lengths"]));
  }
  std::vector<Tensor> seqs;
  for (int i = 0; i < 3; ++i)
    seqs.push_back(gd["util.seq" + std::to_string(i)].detach().requires_grad_());
  Tensor padded = R::pad_sequence(seqs, {.batch_first = true, .padding_value = 0.5});
  EXPECT_TENSOR_CLOSE(padded, gd["util.pad_sequence"], 1e-15, 0);
  (padded * gd["util.pad_sequence.G"]).sum().backward();
  // append, not `"literal" + std::to_string(i)`: GCC 12 at -O3 reports a false -Warray-bounds
  // in the inlined operator+ here.
  for (int i = 0; i < 3; ++i)
    EXPECT_TENSOR_CLOSE(seqs[static_cast<size_t>(i)].grad(),
                        gd[std::string("util.pad_sequence.g").append(std::to_string(i))], 1e-15, 0);
  PackedSequence p = R::pack_sequence(seqs, {.enforce_sorted = false});
  EXPECT_TENSOR_CLOSE(p.data, gd["util.pack_sequence.data"], 1e-15, 0);
  EXPECT_TRUE(p.batch_sizes.equal(gd["util.pack_sequence.batch_sizes"]));
  EXPECT_TRUE(p.sorted_indices.equal(gd["util.pack_sequence.sorted"]));
}

TEST(NnPacked, ErrorMessages) {
  using testing::expect_error;
  Tensor x = zeros({5, 3, 2});
  expect_error(
      [&] {
        R::pack_padded_sequence(x, std::vector<int64_t>{5, 2, 3});
      },
      "`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. "
      "You can pass `enforce_sorted=False`");
  expect_error(
      [&] {
        R::pack_padded_sequence(x, std::vector<int64_t>{5, 3, 0});
      },
      "Length of all samples has to be greater than 0, but found an element in 'lengths' "
      "that is <= 0");
  expect_error(
      [&] {
        R::pack_padded_sequence(x, std::vector<int64_t>{6, 3, 1});
      },
      "expected every length to be at most the padded sequence length 5, got 6");
  expect_error(
      [&] {
        R::pack_padded_sequence(x, std::vector<int64_t>{5, 3});
      },
      "Expected `len(lengths)` to be equal to batch_size, but got 2 (batch_size=3)");
  expect_error(
      [&] {
        R::pack_padded_sequence(x, zeros({1, 3}, {.dtype = kInt64}));
      },
      "'lengths' argument should be a 1D CPU int64 tensor, but got 2D tensor");
  expect_error(
      [&] {
        R::pad_packed_sequence(R::pack_padded_sequence(x, std::vector<int64_t>{5, 3, 1}),
                               {.total_length = 4});
      },
      "Expected total_length to be at least the length of the longest sequence in input, but got "
      "total_length=4 and max sequence length being 5");
  expect_error([] { R::pad_sequence({}); }, "received an empty list of sequences");
  expect_error(
      [] {
        R::pad_sequence({zeros({3, 2}), zeros({2, 3})});
      },
      "expected sequences (L, *) with equal trailing dims, got [3, 2] and [2, 3]");
  nn::LSTM lstm(2, 4);
  PackedSequence p = R::pack_padded_sequence(x, std::vector<int64_t>{5, 3, 1});
  expect_error(
      [&] {
        lstm(p, {zeros({1, 2, 4}), zeros({1, 2, 4})});
      },
      "LSTM(2, 4): Expected hidden[0] size (1, 3, 4), got [1, 2, 4]");
  nn::GRU gru(3, 4);
  expect_error([&] { gru(p); },
               "GRU(3, 4): input.size(-1) must be equal to input_size. Expected 3, got 2");
}

}  // namespace
}  // namespace wick
