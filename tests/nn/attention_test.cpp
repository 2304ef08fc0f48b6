// scaled_dot_product_attention and MultiheadAttention against PyTorch goldens (weights loaded by
// name; outputs, attention weights and all gradients; float64 to 1e-9, float32 to 1e-4), float64
// gradchecks, printing, state_dict keys and error messages.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "support/expect_error.h"
#include "support/golden.h"
#include "wick/wick.h"

namespace wick {
namespace {

namespace F = nn::functional;

template <typename M>
std::string str(const M& m) {
  std::ostringstream os;
  os << m;
  return os.str();
}

double rtol_for(DType dt) { return dt == kFloat64 ? 1e-9 : 1e-4; }
double atol_for(DType dt) { return dt == kFloat64 ? 1e-11 : 1e-5; }

TEST(NnAttention, ScaledDotProductAttentionMatchesPyTorch) {
  testing::Golden gold("nn_attention");
  for (DType dt : {kFloat64, kFloat32}) {
    for (std::string name : {"sdpa_plain", "sdpa_bool", "sdpa_float", "sdpa_causal", "sdpa_scale"}) {
      SCOPED_TRACE(name);
      Tensor q = gold[name + ".q"].to(dt).detach().requires_grad_();
      Tensor k = gold[name + ".k"].to(dt).detach().requires_grad_();
      Tensor v = gold[name + ".v"].to(dt).detach().requires_grad_();
      F::ScaledDotProductAttentionOptions o;
      if (gold.has(name + ".mask")) o.attn_mask = gold[name + ".mask"].to(name == "sdpa_bool" ? kBool : dt);
      o.is_causal = name == "sdpa_causal";
      if (name == "sdpa_scale") o.scale = 0.3;
      Tensor out = F::scaled_dot_product_attention(q, k, v, o);
      EXPECT_TENSOR_CLOSE(out.detach().to(kFloat64), gold[name + ".out"], rtol_for(dt), atol_for(dt));
      (out * gold[name + ".Gout"].to(dt)).sum().backward();
      EXPECT_TENSOR_CLOSE(q.grad().to(kFloat64), gold[name + ".gq"], rtol_for(dt), atol_for(dt));
      EXPECT_TENSOR_CLOSE(k.grad().to(kFloat64), gold[name + ".gk"], rtol_for(dt), atol_for(dt));
      EXPECT_TENSOR_CLOSE(v.grad().to(kFloat64), gold[name + ".gv"], rtol_for(dt), atol_for(dt));
    }
  }
}

struct MhaCall {
  bool self = false;  // query, key and value are one tensor
  bool need_weights = true;
  bool average = true;
};

void check_mha(const std::string& name, nn::MultiheadAttention m, MhaCall call, DType dt) {
  SCOPED_TRACE(name + (dt == kFloat64 ? " float64" : " float32"));
  static const testing::Golden gold("nn_attention");  // parsed once
  m->to(dt);
  nn::StateDict sd;
  for (const auto& [k, p] : m->named_parameters()) sd.insert(k, gold[name + ".p." + k].to(dt));
  m->load_state_dict(sd);
  Tensor q = gold[name + ".q"].to(dt).detach().requires_grad_();
  Tensor k = call.self ? q : gold[name + ".k"].to(dt).detach().requires_grad_();
  Tensor v = call.self ? q : gold[name + ".v"].to(dt).detach().requires_grad_();
  auto mask = [&](const std::string& key) {
    if (!gold.has(name + "." + key)) return Tensor();
    Tensor t = gold[name + "." + key];
    return t.dtype() == kBool ? t : t.to(dt);
  };
  auto [out, w] = m(q, k, v, mask("key_padding_mask"), call.need_weights, mask("attn_mask"), call.average);
  const double rtol = rtol_for(dt), atol = atol_for(dt);
  EXPECT_TENSOR_CLOSE(out.detach().to(kFloat64), gold[name + ".out"], rtol, atol);
  Tensor loss = (out * gold[name + ".Gout"].to(dt)).sum();
  EXPECT_EQ(w.defined(), call.need_weights);
  if (w.defined()) {
    EXPECT_TENSOR_CLOSE(w.detach().to(kFloat64), gold[name + ".w"], rtol, atol);
    loss = loss + (w * gold[name + ".Gw"].to(dt)).sum();
  }
  loss.backward();
  EXPECT_TENSOR_CLOSE(q.grad().to(kFloat64), gold[name + ".gq"], rtol, atol);
  if (!call.self) {
    EXPECT_TENSOR_CLOSE(k.grad().to(kFloat64), gold[name + ".gk"], rtol, atol);
    EXPECT_TENSOR_CLOSE(v.grad().to(kFloat64), gold[name + ".gv"], rtol, atol);
  }
  for (const auto& [key, p] : m->named_parameters()) {
    SCOPED_TRACE(key);
    EXPECT_TENSOR_CLOSE(p.grad().to(kFloat64), gold[name + ".g." + key], rtol, atol);
  }
}

TEST(NnAttention, MultiheadAttentionMatchesPyTorch) {
  for (DType dt : {kFloat64, kFloat32}) {
    check_mha("mha_basic", nn::MultiheadAttention(8, 2), {}, dt);
    check_mha("mha_self_bf", nn::MultiheadAttention(8, 2, {.batch_first = true}),
              {.self = true, .average = false}, dt);
    check_mha("mha_kv_bias_zero",
              nn::MultiheadAttention(8, 2, {.add_bias_kv = true, .add_zero_attn = true, .kdim = 5, .vdim = 6}), {}, dt);
    check_mha("mha_unbatched", nn::MultiheadAttention(8, 4, {.bias = false}), {}, dt);
    check_mha("mha_mask3d_noweights", nn::MultiheadAttention(8, 2), {.need_weights = false}, dt);
  }
}

TEST(NnAttention, Gradcheck) {
  manual_seed(5);
  auto r = [](Shape s) {
    Tensor t = randn(s, {.dtype = kFloat64});
    return t.requires_grad_();
  };
  Tensor mask = tensor({{0.0, -1.0, 0.5}, {0.2, 0.0, -0.3}}, {.dtype = kFloat64});
  auto sdpa = [&](const autograd::variable_list& v) {
    return F::scaled_dot_product_attention(v[0], v[1], v[2], {.attn_mask = mask});
  };
  auto res = autograd::gradcheck(sdpa, {r({2, 2, 3}), r({2, 3, 3}), r({2, 3, 2})}, {.check_grad_grad = true});
  EXPECT_TRUE(res) << res.message;
  // The whole multi-head forward, every weight an input.
  auto mha = [](const autograd::variable_list& v) {
    auto [out, w] = F::multi_head_attention_forward(v[0], v[1], v[2], 4, 2, v[3], v[4], v[5], v[6], true, 0.0,
                                                    v[7], v[8]);
    return autograd::variable_list{out, w};
  };
  res = autograd::gradcheck(mha, {r({2, 2, 4}), r({3, 2, 4}), r({3, 2, 4}), r({12, 4}), r({12}), r({1, 1, 4}),
                                  r({1, 1, 4}), r({4, 4}), r({4})});
  EXPECT_TRUE(res) << res.message;
}

TEST(NnAttention, PrintsAndStateDictAsPyTorch) {
  EXPECT_EQ(str(nn::MultiheadAttention(16, 4)),
            "MultiheadAttention(\n"
            "  (out_proj): NonDynamicallyQuantizableLinear(in_features=16, out_features=16, bias=True)\n"
            ")");
  EXPECT_EQ(str(nn::MultiheadAttention(16, 4, {.bias = false, .add_bias_kv = true, .kdim = 5})),
            "MultiheadAttention(\n"
            "  (out_proj): NonDynamicallyQuantizableLinear(in_features=16, out_features=16, bias=False)\n"
            ")");
  EXPECT_EQ(nn::MultiheadAttention(16, 4, {.add_bias_kv = true, .kdim = 5, .vdim = 6})->state_dict().keys(),
            (std::vector<std::string>{"q_proj_weight", "k_proj_weight", "v_proj_weight", "in_proj_bias", "bias_k",
                                      "bias_v", "out_proj.weight", "out_proj.bias"}));
  nn::MultiheadAttention m(16, 4, {.add_bias_kv = true});
  EXPECT_EQ(m->state_dict().keys(), (std::vector<std::string>{"in_proj_weight", "in_proj_bias", "bias_k", "bias_v",
                                                              "out_proj.weight", "out_proj.bias"}));
  EXPECT_EQ(m->in_proj_weight.sizes(), (Shape{48, 16}));
  EXPECT_EQ(m->bias_k.sizes(), (Shape{1, 1, 16}));
  // PyTorch's init: zero biases, xavier-uniform projections (bound sqrt(6 / (16 + 48)) ~ 0.306).
  EXPECT_EQ(m->in_proj_bias.abs().sum().item<float>(), 0.0f);
  EXPECT_EQ(m->out_proj->bias.abs().sum().item<float>(), 0.0f);
  EXPECT_LE(m->in_proj_weight.abs().max().item<float>(), 0.307f);
  EXPECT_GT(m->in_proj_weight.abs().max().item<float>(), 0.28f);
  // A deep copy keeps the printed name of out_proj.
  EXPECT_EQ(str(*m->clone()), str(m));
}

TEST(NnAttention, ShapesAndMasks) {
  nn::MultiheadAttention m(8, 2, {.batch_first = true});
  Tensor x = randn({3, 5, 8});
  auto [out, w] = m(x, x, x);
  EXPECT_EQ(out.sizes(), (Shape{3, 5, 8}));
  EXPECT_EQ(w.sizes(), (Shape{3, 5, 5}));
  // Rows of averaged weights sum to one; a padded key gets zero weight.
  Tensor kpm = tensor({{0, 0, 0, 0, 1}, {0, 0, 0, 0, 0}, {0, 0, 0, 0, 0}}).to(kBool);
  auto [o2, w2] = m(x, x, x, kpm, true, Tensor(), false);
  EXPECT_EQ(w2.sizes(), (Shape{3, 2, 5, 5}));
  EXPECT_TRUE(w2.sum({-1}).allclose(ones({3, 2, 5}), 1e-5, 1e-6));
  EXPECT_EQ(w2.select(0, 0).select(-1, 4).abs().max().item<float>(), 0.0f);
  // is_causal equals an explicit lower-triangular bool mask.
  Tensor q = randn({2, 4, 3}), k = randn({2, 4, 3}), v = randn({2, 4, 3});
  Tensor tril = tensor({{1, 0, 0, 0}, {1, 1, 0, 0}, {1, 1, 1, 0}, {1, 1, 1, 1}}).to(kBool);
  EXPECT_TRUE(F::scaled_dot_product_attention(q, k, v, {.is_causal = true})
                  .allclose(F::scaled_dot_product_attention(q, k, v, {.attn_mask = tril}), 1e-6, 1e-6));
}

TEST(NnAttention, Errors) {
  testing::expect_error([] { nn::MultiheadAttention(8, 3); }, "embed_dim must be divisible by num_heads");
  nn::MultiheadAttention m(8, 2);
  testing::expect_error([&] { m(randn({5, 2, 7}), randn({5, 2, 8}), randn({5, 2, 8})); },
                        "was expecting embedding dimension of 8, but got 7");
  testing::expect_error([&] { m(randn({5, 2, 8}), randn({4, 2, 8}), randn({5, 2, 8})); },
                        "key shape [4, 2, 8] does not match value shape [5, 2, 8]");
  testing::expect_error([&] { m(randn({5, 2, 8}), randn({5, 2, 8}), randn({5, 2, 8}), Tensor(), true, zeros({3, 3})); },
                        "The shape of the 2D attn_mask is [3, 3], but should be (5, 5).");
  testing::expect_error(
      [&] { m(randn({5, 2, 8}), randn({5, 2, 8}), randn({5, 2, 8}), zeros({2, 4}, {.dtype = kBool})); },
      "expecting key_padding_mask shape of (2, 5), but got [2, 4]");
  testing::expect_error([&] { m(randn({5, 2, 8}), randn({5, 8}), randn({5, 8})); },
                        "expected `key` and `value` to be 3-D but found 2-D and 2-D tensors respectively");
  testing::expect_error([] { F::scaled_dot_product_attention(randn({2, 3}), randn({4, 5}), randn({4, 5})); },
                        "query and key must have the same embedding size");
  testing::expect_error(
      [] { F::scaled_dot_product_attention(randn({2, 3}), randn({2, 3}), randn({2, 3}), {.attn_mask = zeros({2, 2}), .is_causal = true}); },
      "Explicit attn_mask should not be set when is_causal=True");
}

TEST(NnAttention, DropoutOnWeightsInTrainingOnly) {
  manual_seed(12);
  nn::MultiheadAttention m(8, 2, {.dropout = 0.5});
  Tensor x = randn({4, 2, 8});
  EXPECT_FALSE(std::get<1>(m(x, x, x)).equal(std::get<1>(m(x, x, x))));
  m->eval();
  auto [o1, w1] = m(x, x, x);
  auto [o2, w2] = m(x, x, x);
  EXPECT_TRUE(o1.equal(o2));
  EXPECT_TRUE(w1.sum({-1}).allclose(ones({2, 4}), 1e-5, 1e-6));
  Tensor q = randn({2, 3, 4});
  EXPECT_FALSE(F::scaled_dot_product_attention(q, q, q, {.dropout_p = 0.5})
                   .equal(F::scaled_dot_product_attention(q, q, q, {.dropout_p = 0.5})));
}

}  // namespace
}  // namespace wick
