// Transformer layers, stacks and nn::Transformer against PyTorch goldens (PyTorch's weights loaded
// through state_dict keys; output and the gradients of inputs and every parameter), printing,
// state_dict keys, deep-copied layers, masks and errors.
#include <gtest/gtest.h>

#include <functional>
#include <limits>
#include <map>
#include <sstream>
#include <string>

#include "support/expect_error.h"
#include "support/golden.h"
#include "wick/wick.h"

namespace wick {
namespace {

template <typename M>
std::string str(const M& m) {
  std::ostringstream os;
  os << m;
  return os.str();
}

using Inputs = std::map<std::string, Tensor>;
using Call = std::function<Tensor(const Inputs& x, const std::function<Tensor(const std::string&)>& mask)>;

// Loads the case's weights into m (by state_dict key), runs call, backpropagates sum(out * G) and
// compares output and every gradient with PyTorch's.
void check_case(const std::string& name, nn::Module& m, const std::vector<std::string>& inputs, const Call& call,
                DType dt) {
  SCOPED_TRACE(name + (dt == kFloat64 ? " float64" : " float32"));
  static const testing::Golden gold("nn_transformer");  // parsed once
  const double rtol = dt == kFloat64 ? 1e-9 : 2e-4, atol = dt == kFloat64 ? 1e-10 : 2e-5;
  m.to(dt);
  m.eval();  // dropout is 0 in the goldens anyway; eval proves nothing depends on the mode
  nn::StateDict sd;
  for (const auto& [k, p] : m.named_parameters()) sd.insert(k, gold[name + ".p." + k].to(dt));
  m.load_state_dict(sd);
  Inputs x;
  for (const auto& k : inputs) x[k] = gold[name + "." + k].to(dt).detach().requires_grad_();
  auto mask = [&](const std::string& k) {
    if (!gold.has(name + "." + k)) return Tensor();
    Tensor t = gold[name + "." + k];
    return t.dtype() == kBool ? t : t.to(dt);
  };
  Tensor out = call(x, mask);
  EXPECT_TENSOR_CLOSE(out.detach().to(kFloat64), gold[name + ".out"], rtol, atol);
  (out * gold[name + ".G"].to(dt)).sum().backward();
  for (const auto& k : inputs) EXPECT_TENSOR_CLOSE(x[k].grad().to(kFloat64), gold[name + ".g" + k], rtol, atol);
  for (const auto& [k, p] : m.named_parameters()) {
    SCOPED_TRACE(k);
    ASSERT_TRUE(p.grad().defined());
    EXPECT_TENSOR_CLOSE(p.grad().to(kFloat64), gold[name + ".g." + k], rtol, atol);
  }
}

constexpr int64_t D = 4, H = 2, FF = 8;

TEST(NnTransformer, LayersMatchPyTorch) {
  for (DType dt : {kFloat64, kFloat32}) {
    {
      nn::TransformerEncoderLayer m(D, H, {.dim_feedforward = FF, .dropout = 0.0});
      check_case("enc_post", *m, {"src"}, [&](const Inputs& x, auto mask) {
        return m(x.at("src"), mask("src_mask"), mask("src_key_padding_mask"));
      }, dt);
    }
    {
      nn::TransformerEncoderLayer m(D, H, {.dim_feedforward = FF, .dropout = 0.0, .activation = "gelu",
                                           .layer_norm_eps = 1e-3, .batch_first = true, .norm_first = true});
      check_case("enc_pre_gelu_bf", *m, {"src"}, [&](const Inputs& x, auto mask) {
        return m(x.at("src"), Tensor(), mask("src_key_padding_mask"));
      }, dt);
    }
    {
      nn::TransformerDecoderLayer m(D, H, {.dim_feedforward = FF, .dropout = 0.0});
      check_case("dec_post", *m, {"tgt", "memory"}, [&](const Inputs& x, auto mask) {
        return m(x.at("tgt"), x.at("memory"), mask("tgt_mask"), Tensor(), Tensor(), mask("memory_key_padding_mask"));
      }, dt);
    }
    {
      nn::TransformerDecoderLayer m(D, H, {.dim_feedforward = FF, .dropout = 0.0, .batch_first = true, .norm_first = true});
      check_case("dec_pre_bf", *m, {"tgt", "memory"}, [&](const Inputs& x, auto mask) {
        return m(x.at("tgt"), x.at("memory"), Tensor(), Tensor(), mask("tgt_key_padding_mask"));
      }, dt);
    }
  }
}

TEST(NnTransformer, StacksAndTransformerMatchPyTorch) {
  for (DType dt : {kFloat64, kFloat32}) {
    {
      nn::TransformerEncoder m(nn::TransformerEncoderLayer(D, H, {.dim_feedforward = FF, .dropout = 0.0}), 2,
                               {.norm = nn::LayerNorm(D)});
      check_case("encoder_stack", *m, {"src"}, [&](const Inputs& x, auto mask) {
        return m(x.at("src"), mask("mask"));
      }, dt);
    }
    {
      nn::TransformerDecoder m(nn::TransformerDecoderLayer(D, H, {.dim_feedforward = FF, .dropout = 0.0}), 2);
      check_case("decoder_stack", *m, {"tgt", "memory"}, [&](const Inputs& x, auto mask) {
        return m(x.at("tgt"), x.at("memory"), mask("tgt_mask"));
      }, dt);
    }
    {
      nn::Transformer m({.d_model = D, .nhead = H, .num_encoder_layers = 1, .num_decoder_layers = 1,
                         .dim_feedforward = FF, .dropout = 0.0});
      check_case("transformer", *m, {"src", "tgt"}, [&](const Inputs& x, auto mask) {
        return m(x.at("src"), x.at("tgt"), Tensor(), mask("tgt_mask"), Tensor(), mask("src_key_padding_mask"),
                 Tensor(), mask("memory_key_padding_mask"));
      }, dt);
    }
  }
}

TEST(NnTransformer, Gradcheck) {
  manual_seed(7);
  nn::TransformerEncoderLayer enc(D, H, {.dim_feedforward = FF, .dropout = 0.0, .norm_first = true});
  nn::TransformerDecoderLayer dec(D, H, {.dim_feedforward = FF, .dropout = 0.0, .activation = "gelu"});
  enc->to(kFloat64);
  dec->to(kFloat64);
  Tensor src = randn({3, 2, D}, {.dtype = kFloat64}).requires_grad_();
  Tensor tgt = randn({2, 2, D}, {.dtype = kFloat64}).requires_grad_();
  Tensor mask = nn::TransformerImpl::generate_square_subsequent_mask(2, {.dtype = kFloat64});
  auto fn = [&](const autograd::variable_list& v) { return dec(v[1], enc(v[0]), mask); };
  auto res = autograd::gradcheck(fn, {src, tgt});
  EXPECT_TRUE(res) << res.message;
}

const char* kEncoderLayerRepr =
    "TransformerEncoderLayer(\n"
    "  (self_attn): MultiheadAttention(\n"
    "    (out_proj): NonDynamicallyQuantizableLinear(in_features=8, out_features=8, bias=True)\n"
    "  )\n"
    "  (linear1): Linear(in_features=8, out_features=16, bias=True)\n"
    "  (dropout): Dropout(p=0.1, inplace=False)\n"
    "  (linear2): Linear(in_features=16, out_features=8, bias=True)\n"
    "  (norm1): LayerNorm((8,), eps=1e-05, elementwise_affine=True)\n"
    "  (norm2): LayerNorm((8,), eps=1e-05, elementwise_affine=True)\n"
    "  (dropout1): Dropout(p=0.1, inplace=False)\n"
    "  (dropout2): Dropout(p=0.1, inplace=False)\n"
    ")";

TEST(NnTransformer, PrintsAsPyTorch) {
  EXPECT_EQ(str(nn::TransformerEncoderLayer(8, 2, {.dim_feedforward = 16})), kEncoderLayerRepr);
  EXPECT_EQ(str(nn::TransformerDecoderLayer(8, 2, {.dim_feedforward = 16, .activation = "gelu"})),
            "TransformerDecoderLayer(\n"
            "  (self_attn): MultiheadAttention(\n"
            "    (out_proj): NonDynamicallyQuantizableLinear(in_features=8, out_features=8, bias=True)\n"
            "  )\n"
            "  (multihead_attn): MultiheadAttention(\n"
            "    (out_proj): NonDynamicallyQuantizableLinear(in_features=8, out_features=8, bias=True)\n"
            "  )\n"
            "  (linear1): Linear(in_features=8, out_features=16, bias=True)\n"
            "  (dropout): Dropout(p=0.1, inplace=False)\n"
            "  (linear2): Linear(in_features=16, out_features=8, bias=True)\n"
            "  (norm1): LayerNorm((8,), eps=1e-05, elementwise_affine=True)\n"
            "  (norm2): LayerNorm((8,), eps=1e-05, elementwise_affine=True)\n"
            "  (norm3): LayerNorm((8,), eps=1e-05, elementwise_affine=True)\n"
            "  (dropout1): Dropout(p=0.1, inplace=False)\n"
            "  (dropout2): Dropout(p=0.1, inplace=False)\n"
            "  (dropout3): Dropout(p=0.1, inplace=False)\n"
            ")");
  nn::TransformerEncoder e(nn::TransformerEncoderLayer(8, 2, {.dim_feedforward = 16}), 2, {.norm = nn::LayerNorm(8)});
  auto indent = [](std::string s) {
    std::string out;
    for (char ch : s) {
      out += ch;
      if (ch == '\n') out += "    ";
    }
    return out;
  };
  EXPECT_EQ(str(e), "TransformerEncoder(\n  (layers): ModuleList(\n    (0): " + indent(kEncoderLayerRepr) +
                        "\n    (1): " + indent(kEncoderLayerRepr) +
                        "\n  )\n  (norm): LayerNorm((8,), eps=1e-05, elementwise_affine=True)\n)");
}

TEST(NnTransformer, StateDictKeysAndDeepCopies) {
  nn::TransformerEncoderLayer layer(8, 2, {.dim_feedforward = 16});
  nn::TransformerEncoder e(layer, 2, {.norm = nn::LayerNorm(8)});
  std::vector<std::string> want;
  for (std::string i : {"0", "1"})
    for (std::string k : {"self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight",
                          "self_attn.out_proj.bias", "linear1.weight", "linear1.bias", "linear2.weight",
                          "linear2.bias", "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias"})
      want.push_back("layers." + i + "." + k);
  want.push_back("norm.weight");
  want.push_back("norm.bias");
  EXPECT_EQ(e->state_dict().keys(), want);
  // The layers are copies: same values, separate storage.
  Tensor w0 = e->get_parameter("layers.0.linear1.weight"), w1 = e->get_parameter("layers.1.linear1.weight");
  EXPECT_TRUE(w0.equal(layer->linear1->weight));
  EXPECT_TRUE(w0.equal(w1));
  {
    NoGradGuard g;
    w0.add_(1.0);
  }
  EXPECT_FALSE(w0.equal(w1));
  EXPECT_FALSE(w0.equal(layer->linear1->weight));

  nn::Transformer t({.d_model = 8, .nhead = 2, .num_encoder_layers = 2, .num_decoder_layers = 1, .dim_feedforward = 16});
  auto keys = t->state_dict().keys();
  EXPECT_EQ(keys.front(), "encoder.layers.0.self_attn.in_proj_weight");
  EXPECT_EQ(keys.back(), "decoder.norm.bias");
  EXPECT_TRUE(t->state_dict().contains("decoder.layers.0.multihead_attn.out_proj.weight"));
  EXPECT_TRUE(t->state_dict().contains("encoder.norm.weight"));
  EXPECT_FALSE(t->state_dict().contains("encoder.layers.2.linear1.weight"));
}

TEST(NnTransformer, MasksShapesAndModes) {
  Tensor m = nn::TransformerImpl::generate_square_subsequent_mask(3);
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(m.tolist<float>(), (std::vector<float>{0, -inf, -inf, 0, 0, -inf, 0, 0, 0}));
  nn::Transformer t({.d_model = 8, .nhead = 2, .num_encoder_layers = 1, .num_decoder_layers = 1,
                     .dim_feedforward = 16, .batch_first = true});
  Tensor out = t(randn({2, 5, 8}), randn({2, 3, 8}), Tensor(), nn::TransformerImpl::generate_square_subsequent_mask(3));
  EXPECT_EQ(out.sizes(), (Shape{2, 3, 8}));
  // Unbatched input.
  EXPECT_EQ(t(randn({5, 8}), randn({3, 8})).sizes(), (Shape{3, 8}));
  // Dropout acts in training only: eval is deterministic, training is not.
  nn::TransformerEncoderLayer layer(8, 2, {.dim_feedforward = 16, .dropout = 0.5});
  Tensor x = randn({4, 2, 8});
  layer->eval();
  EXPECT_TRUE(layer(x).equal(layer(x)));
  layer->train();
  EXPECT_FALSE(layer(x).equal(layer(x)));
}

TEST(NnTransformer, Errors) {
  testing::expect_error([] { nn::TransformerEncoderLayer(8, 2, {.activation = "tanh"}); },
                        "activation should be relu/gelu, not tanh");
  testing::expect_error([] { nn::TransformerEncoderLayer(8, 3); }, "embed_dim must be divisible by num_heads");
  nn::Transformer t({.d_model = 8, .nhead = 2, .num_encoder_layers = 1, .num_decoder_layers = 1, .dim_feedforward = 16});
  testing::expect_error([&] { t(randn({5, 2, 8}), randn({3, 4, 8})); }, "the batch number of src and tgt must be equal");
  testing::expect_error([&] { t(randn({5, 2, 6}), randn({3, 2, 6})); },
                        "the feature number of src and tgt must be equal to d_model");
  nn::TransformerEncoderLayer layer(8, 2, {.dim_feedforward = 16});
  testing::expect_error([&] { layer(randn({5, 2, 8}), zeros({4, 4})); }, "The shape of the 2D attn_mask is [4, 4]");
}

}  // namespace
}  // namespace wick
