// RNN/LSTM/GRU and their cells against PyTorch goldens (PyTorch's weights loaded by name; outputs
// and the gradients of input, initial states and every parameter; float64 to 1e-9, float32 to
// 1e-4), float64 gradchecks of the functional forms, printing, state_dict keys and errors.
#include <gtest/gtest.h>

#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "support/expect_error.h"
#include "support/golden.h"
#include "wick/wick.h"

namespace wick {
namespace {

namespace F = nn::functional;
using Outs = std::vector<Tensor>;
using Fwd = std::function<Outs(const Tensor& x, const Tensor& h0, const Tensor& c0)>;

template <typename M>
std::string str(const M& m) {
  std::ostringstream os;
  os << m;
  return os.str();
}

// Loads the case's PyTorch weights into m (in dtype), runs fwd, backpropagates sum(out * G) and
// compares every output and gradient with the golden.
void check_case(const std::string& name, nn::Module& m, const Fwd& fwd, DType dt,
                const std::vector<std::string>& out_keys) {
  SCOPED_TRACE(name + (dt == kFloat64 ? " float64" : " float32"));
  static const testing::Golden gold("nn_rnn");  // parsed once; tensors are copied before use
  const double rtol = dt == kFloat64 ? 1e-9 : 1e-4, atol = dt == kFloat64 ? 1e-11 : 1e-5;
  m.to(dt);
  nn::StateDict sd;
  for (const auto& [k, p] : m.named_parameters()) sd.insert(k, gold[name + ".p." + k].to(dt));
  m.load_state_dict(sd);
  m.zero_grad();
  auto input = [&](const std::string& key) {
    return gold.has(name + "." + key) ? gold[name + "." + key].to(dt).detach().requires_grad_() : Tensor();
  };
  Tensor x = input("x"), h0 = input("h0"), c0 = input("c0");
  Outs outs = fwd(x, h0, c0);
  ASSERT_EQ(outs.size(), out_keys.size());
  Tensor loss = zeros({}, {.dtype = dt});
  for (size_t i = 0; i < outs.size(); ++i) {
    EXPECT_TENSOR_CLOSE(outs[i].detach().to(kFloat64), gold[name + "." + out_keys[i]], rtol, atol);
    loss = loss + (outs[i] * gold[name + ".G" + out_keys[i]].to(dt)).sum();
  }
  loss.backward();
  EXPECT_TENSOR_CLOSE(x.grad().to(kFloat64), gold[name + ".gx"], rtol, atol);
  if (h0.defined()) {
    EXPECT_TENSOR_CLOSE(h0.grad().to(kFloat64), gold[name + ".gh0"], rtol, atol);
  }
  if (c0.defined()) {
    EXPECT_TENSOR_CLOSE(c0.grad().to(kFloat64), gold[name + ".gc0"], rtol, atol);
  }
  for (const auto& [k, p] : m.named_parameters()) {
    SCOPED_TRACE(k);
    ASSERT_TRUE(p.grad().defined());
    EXPECT_TENSOR_CLOSE(p.grad().to(kFloat64), gold[name + ".g." + k], rtol, atol);
  }
}

template <typename M>
Fwd seq_fwd(M m) {
  return [m](const Tensor& x, const Tensor& h0, const Tensor&) mutable {
    auto [out, hn] = m(x, h0);
    return Outs{out, hn};
  };
}

Fwd lstm_fwd(nn::LSTM m) {
  return [m](const Tensor& x, const Tensor& h0, const Tensor& c0) mutable {
    auto [out, state] = h0.defined() ? m(x, {h0, c0}) : m(x);
    return Outs{out, std::get<0>(state), std::get<1>(state)};
  };
}

template <typename M>
Fwd cell_fwd(M m) {
  return [m](const Tensor& x, const Tensor& h0, const Tensor&) mutable { return Outs{m(x, h0)}; };
}

Fwd lstm_cell_fwd(nn::LSTMCell m) {
  return [m](const Tensor& x, const Tensor& h0, const Tensor& c0) mutable {
    auto [h, c] = h0.defined() ? m(x, {h0, c0}) : m(x);
    return Outs{h, c};
  };
}

TEST(NnRnn, SequenceModulesMatchPyTorch) {
  for (DType dt : {kFloat64, kFloat32}) {
    const std::vector<std::string> two{"out", "hn"}, three{"out", "hn", "cn"};
    {
      nn::RNN m(3, 4, 2);
      check_case("rnn_tanh2", *m, seq_fwd(m), dt, two);
    }
    {
      nn::RNN m(3, 4, {.nonlinearity = "relu", .batch_first = true, .bidirectional = true});
      check_case("rnn_relu_bi_bf", *m, seq_fwd(m), dt, two);
    }
    {
      nn::RNN m(3, 4, {.bias = false});
      check_case("rnn_unbatched", *m, seq_fwd(m), dt, two);
    }
    {
      nn::LSTM m(3, 4, 2, {.bidirectional = true});
      check_case("lstm_bi2", *m, lstm_fwd(m), dt, three);
    }
    {
      nn::LSTM m(3, 5, {.num_layers = 2, .batch_first = true, .proj_size = 2});
      check_case("lstm_proj_bf", *m, lstm_fwd(m), dt, three);
    }
    {
      nn::LSTM m(3, 4, {.bidirectional = true});
      check_case("lstm_unbatched_bi", *m, lstm_fwd(m), dt, three);
    }
    {
      nn::LSTM m(3, 4, {.bias = false});
      check_case("lstm_nobias", *m, lstm_fwd(m), dt, three);
    }
    {
      nn::GRU m(3, 4, 2, {.bidirectional = true});
      check_case("gru_bi2", *m, seq_fwd(m), dt, two);
    }
    {
      nn::GRU m(3, 4, {.bias = false});
      check_case("gru_unbatched", *m, seq_fwd(m), dt, two);
    }
  }
}

TEST(NnRnn, CellsMatchPyTorch) {
  for (DType dt : {kFloat64, kFloat32}) {
    const std::vector<std::string> one{"out"}, two{"out", "cn"};
    {
      nn::RNNCell m(3, 4);
      check_case("rnncell_tanh", *m, cell_fwd(m), dt, one);
    }
    {
      nn::RNNCell m(3, 4, {.nonlinearity = "relu"});
      check_case("rnncell_relu", *m, cell_fwd(m), dt, one);
    }
    {
      nn::RNNCell m(3, 4, {.bias = false});
      check_case("rnncell_unbatched", *m, cell_fwd(m), dt, one);
    }
    {
      nn::LSTMCell m(3, 4);
      check_case("lstmcell", *m, lstm_cell_fwd(m), dt, two);
    }
    {
      nn::LSTMCell m(3, 4);
      check_case("lstmcell_unbatched", *m, lstm_cell_fwd(m), dt, two);
    }
    {
      nn::GRUCell m(3, 4);
      check_case("grucell", *m, cell_fwd(m), dt, one);
    }
    {
      nn::GRUCell m(3, 4, {.bias = false});
      check_case("grucell_nobias", *m, cell_fwd(m), dt, one);
    }
  }
}

// Every input of the functional forms, weights included, in float64 on tiny shapes.
TEST(NnRnn, Gradcheck) {
  manual_seed(3);
  auto r = [](Shape s) { Tensor t = randn(s, {.dtype = kFloat64}) * 0.5;
    return t.requires_grad_();
  };
  const int64_t I = 2, H = 2, T = 3, N = 2;
  struct Config {
    F::RNNMode mode;
    int64_t layers;
    bool bidirectional, proj;
  };
  // Two stacked layers or two directions per mode (the goldens cover the other combinations).
  for (Config cfg : {Config{F::RNNMode::RNN_TANH, 2, false, false}, Config{F::RNNMode::RNN_RELU, 1, true, false},
                     Config{F::RNNMode::GRU, 1, true, false}, Config{F::RNNMode::LSTM, 2, false, false},
                     Config{F::RNNMode::LSTM, 1, true, true}}) {
    SCOPED_TRACE(static_cast<int>(cfg.mode));
    const bool lstm = cfg.mode == F::RNNMode::LSTM;
    const int64_t G = lstm ? 4 : cfg.mode == F::RNNMode::GRU ? 3 : 1;
    const int64_t Hout = cfg.proj ? 1 : H, dirs = cfg.bidirectional ? 2 : 1, LD = cfg.layers * dirs;
    autograd::variable_list in{r({T, N, I}), r({LD, N, Hout}), r({LD, N, H})};
    for (int64_t layer = 0; layer < cfg.layers; ++layer)
      for (int64_t dir = 0; dir < dirs; ++dir) {
        in.push_back(r({G * H, layer == 0 ? I : dirs * Hout}));
        in.push_back(r({G * H, Hout}));
        in.push_back(r({G * H}));
        in.push_back(r({G * H}));
        if (cfg.proj) in.push_back(r({Hout, H}));
      }
    F::RNNSequenceArgs args{.mode = cfg.mode, .num_layers = cfg.layers, .bidirectional = cfg.bidirectional,
                            .has_proj = cfg.proj};
    auto fn = [&](const autograd::variable_list& v) {
      std::vector<Tensor> w(v.begin() + 3, v.end());
      auto [out, hn, cn] = F::rnn_sequence(v[0], v[1], lstm ? v[2] : Tensor(), w, args);
      autograd::variable_list res{out, hn};
      if (cn.defined()) res.push_back(cn);
      return res;
    };
    if (!lstm) in[2] = in[2].detach();  // unused: no gradient to check
    auto res = autograd::gradcheck(fn, in);
    EXPECT_TRUE(res) << res.message;
  }
  // The cells, with second derivatives.
  autograd::variable_list cin{r({N, I}), r({N, H}), r({N, H}), r({4 * H, I}), r({4 * H, H}), r({4 * H}), r({4 * H})};
  auto lstm = [](const autograd::variable_list& v) {
    auto [h, c] = F::lstm_cell(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
    return autograd::variable_list{h, c};
  };
  auto res = autograd::gradcheck(lstm, cin, {.check_grad_grad = true});
  EXPECT_TRUE(res) << res.message;
  autograd::variable_list gin{r({N, I}), r({N, H}), r({3 * H, I}), r({3 * H, H}), r({3 * H}), r({3 * H})};
  auto gru = [](const autograd::variable_list& v) { return F::gru_cell(v[0], v[1], v[2], v[3], v[4], v[5]); };
  res = autograd::gradcheck(gru, gin, {.check_grad_grad = true});
  EXPECT_TRUE(res) << res.message;
}

TEST(NnRnn, PrintsAsPyTorch) {
  EXPECT_EQ(str(nn::RNN(10, 20)), "RNN(10, 20)");
  EXPECT_EQ(str(nn::RNN(10, 20, 2, {.nonlinearity = "relu", .bias = false, .batch_first = true, .dropout = 0.5, .bidirectional = true})),
            "RNN(10, 20, num_layers=2, bias=False, batch_first=True, dropout=0.5, bidirectional=True)");
  EXPECT_EQ(str(nn::LSTM(10, 20, {.num_layers = 2, .batch_first = true, .bidirectional = true})),
            "LSTM(10, 20, num_layers=2, batch_first=True, bidirectional=True)");
  EXPECT_EQ(str(nn::LSTM(10, 20, {.proj_size = 5})), "LSTM(10, 20, proj_size=5)");
  EXPECT_EQ(str(nn::GRU(3, 4, {.dropout = 0.0})), "GRU(3, 4)");
  EXPECT_EQ(str(nn::RNNCell(3, 4)), "RNNCell(3, 4)");
  EXPECT_EQ(str(nn::RNNCell(3, 4, {.bias = false, .nonlinearity = "relu"})), "RNNCell(3, 4, bias=False, nonlinearity=relu)");
  EXPECT_EQ(str(nn::LSTMCell(3, 4, {.bias = false})), "LSTMCell(3, 4, bias=False)");
  EXPECT_EQ(str(nn::GRUCell(3, 4)), "GRUCell(3, 4)");
}

TEST(NnRnn, ParametersNamedShapedAndInitialisedAsPyTorch) {
  nn::LSTM m(3, 4, 2, {.bidirectional = true, .proj_size = 2});
  std::vector<std::string> want{
      "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_hr_l0",
      "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse", "weight_hr_l0_reverse",
      "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1", "weight_hr_l1",
      "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse", "weight_hr_l1_reverse"};
  EXPECT_EQ(m->state_dict().keys(), want);
  EXPECT_EQ(m->get_parameter("weight_ih_l1").sizes(), (Shape{16, 4}));
  EXPECT_EQ(m->get_parameter("weight_hh_l0").sizes(), (Shape{16, 2}));
  EXPECT_EQ(m->get_parameter("weight_hr_l0_reverse").sizes(), (Shape{2, 4}));
  nn::GRU g(5, 100);
  for (const Tensor& p : g->parameters()) {
    EXPECT_LE(p.abs().max().item<float>(), 0.1f);
    EXPECT_GT(p.abs().max().item<float>(), 0.09f);
  }
  EXPECT_EQ(nn::GRUCell(3, 4)->state_dict().keys(), (std::vector<std::string>{"weight_ih", "weight_hh", "bias_ih", "bias_hh"}));
  EXPECT_EQ(nn::GRUCell(3, 4)->weight_ih.sizes(), (Shape{12, 3}));
}

TEST(NnRnn, ShapesOfOutputs) {
  nn::LSTM m(3, 4, 2, {.batch_first = true, .bidirectional = true});
  auto [out, state] = m(randn({5, 7, 3}));
  EXPECT_EQ(out.sizes(), (Shape{5, 7, 8}));
  EXPECT_EQ(std::get<0>(state).sizes(), (Shape{4, 5, 4}));
  EXPECT_EQ(std::get<1>(state).sizes(), (Shape{4, 5, 4}));
  auto [o2, h2] = nn::GRU(3, 4)(randn({6, 3}));
  EXPECT_EQ(o2.sizes(), (Shape{6, 4}));
  EXPECT_EQ(h2.sizes(), (Shape{1, 4}));
  // The last output step of a one-layer forward RNN is h_n.
  nn::RNN r(3, 4);
  auto [o3, h3] = r(randn({6, 2, 3}));
  EXPECT_TRUE(o3.select(0, 5).equal(h3.select(0, 0)));
}

TEST(NnRnn, ErrorsNameTheModuleAndShapes) {
  nn::LSTM m(3, 4, 2);
  testing::expect_error([&] { m(randn({5, 2, 7})); },
                        "LSTM(3, 4, num_layers=2): input.size(-1) must be equal to input_size. Expected 3, got 7");
  testing::expect_error([&] { m(randn({5, 2, 3, 1})); }, "Expected input to be 2-D or 3-D but received 4-D tensor");
  testing::expect_error([&] { m(randn({5, 2, 3}), {randn({1, 2, 4}), randn({2, 2, 4})}); },
                        "Expected hidden[0] size (2, 2, 4), got [1, 2, 4]");
  testing::expect_error([&] { m(randn({5, 2, 3}), {randn({2, 2, 4}), randn({2, 3, 4})}); },
                        "Expected hidden[1] size (2, 2, 4), got [2, 3, 4]");
  testing::expect_error([&] { m(randn({5, 3}), {randn({2, 2, 4}), randn({2, 2, 4})}); },
                        "For unbatched 2-D input, hx and cx should also be 2-D but got 3-D tensor");
  nn::GRU g(3, 4);
  testing::expect_error([&] { g(randn({5, 2, 3}), randn({2, 2, 4})); }, "GRU(3, 4): Expected hidden size (1, 2, 4), got [2, 2, 4]");
  testing::expect_error([&] { nn::RNN(3, 4, {.nonlinearity = "gelu"}); }, "Unknown nonlinearity 'gelu'");
  testing::expect_error([&] { nn::LSTM(3, 4, {.proj_size = 4}); }, "proj_size has to be smaller than hidden_size");
  testing::expect_error([&] { nn::GRU(3, 4, {.dropout = 1.5}); }, "dropout should be a number in range [0, 1]");
  testing::expect_error([&] { nn::RNN(3, 4)(randn({0, 2, 3})); }, "Expected sequence length to be larger than 0");
  nn::LSTMCell c(3, 4);
  testing::expect_error([&] { c(randn({2, 5})); }, "input has inconsistent input_size: got 5 expected 3");
  testing::expect_error([&] { c(randn({2, 3}), {randn({3, 4}), randn({2, 4})}); },
                        "Input batch size 2 doesn't match hidden0 batch size 3");
  testing::expect_error([&] { c(randn({2, 3, 3})); }, "LSTMCell: Expected input to be 1-D or 2-D but received 3-D tensor");
  testing::expect_error([&] { nn::GRUCell(3, 4)(randn({2, 3}), randn({2, 5})); },
                        "hidden0 has inconsistent hidden_size: got 5, expected 4");
}

TEST(NnRnn, DropoutBetweenLayersInTrainingOnly) {
  manual_seed(11);
  nn::LSTM m(3, 8, 2, {.dropout = 0.5});
  Tensor x = randn({5, 2, 3});
  auto out = [&] { return std::get<0>(m(x)); };
  EXPECT_FALSE(out().equal(out()));  // training: a fresh mask between the layers each call
  m->eval();
  EXPECT_TRUE(out().equal(out()));
  // One layer: nothing lies between layers, so training changes nothing.
  nn::GRU g(3, 4, {.dropout = 0.5});
  Tensor a = std::get<0>(g(x));
  EXPECT_TRUE(a.equal(std::get<0>(g(x))));
}

}  // namespace
}  // namespace wick
