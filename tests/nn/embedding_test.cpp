// Embedding and EmbeddingBag against PyTorch goldens (outputs and weight gradients: padding_idx,
// scale_grad_by_freq, max_norm renorm, bag modes with offsets, include_last_offset,
// per_sample_weights), from_pretrained, gradchecks, printing, keys and errors.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "norm_test_util.h"
#include "support/expect_error.h"
#include "support/golden.h"
#include "wick/wick.h"

namespace wick {
namespace {

namespace F = nn::functional;

using testing::str;

// out and weight grad of sum(f(w) * G) in dtype dt; checks them against <prefix>_out/_gw.
void check(const testing::Golden& gold, const std::string& prefix, const std::string& gkey,
           const std::function<Tensor(const Tensor&)>& f, int64_t g_rows = -1) {
  for (DType dt : {kFloat64, kFloat32}) {
    SCOPED_TRACE(prefix + (dt == kFloat64 ? " float64" : " float32"));
    double rtol = dt == kFloat64 ? 1e-10 : 1e-5, atol = dt == kFloat64 ? 1e-12 : 2e-6;
    Tensor w = gold["w"].to(dt).clone().requires_grad_();
    Tensor out = f(w);
    Tensor g = gold[gkey].to(dt);
    if (g_rows >= 0) g = g.narrow(0, 0, g_rows);
    (out * g).sum().backward();
    EXPECT_TENSOR_CLOSE(out.detach().to(kFloat64), gold[prefix + "_out"], rtol, atol);
    EXPECT_TENSOR_CLOSE(w.grad().to(kFloat64), gold[prefix + "_gw"], rtol, atol);
  }
}

TEST(NnEmbedding, FunctionalMatchesPyTorch) {
  testing::Golden gold("nn_embedding");
  Tensor idx = gold["idx"];
  check(gold, "emb", "G", [&](const Tensor& w) { return F::embedding(idx, w); });
  check(gold, "emb_pad", "G",
        [&](const Tensor& w) { return F::embedding(idx, w, {.padding_idx = 2}); });
  check(gold, "emb_freq", "G",
        [&](const Tensor& w) { return F::embedding(idx, w, {.scale_grad_by_freq = true}); });
  check(gold, "emb_maxnorm", "G", [&](const Tensor& w) {
    Tensor out = F::embedding(idx, w, {.max_norm = 1.0});
    EXPECT_TENSOR_CLOSE(w.detach().to(kFloat64), gold["emb_maxnorm_w_after"], 1e-6, 1e-7);
    return out;
  });
  check(gold, "emb_maxnorm3", "G", [&](const Tensor& w) {
    Tensor out = F::embedding(idx, w, {.max_norm = 1.5, .norm_type = 3.0});
    EXPECT_TENSOR_CLOSE(w.detach().to(kFloat64), gold["emb_maxnorm3_w_after"], 1e-6, 1e-7);
    return out;
  });
  // int32 indices work too.
  Tensor w = gold["w"];
  EXPECT_TENSOR_CLOSE(F::embedding(idx.to(kInt32), w), gold["emb_out"], 1e-12, 0);
}

TEST(NnEmbedding, BagMatchesPyTorch) {
  testing::Golden gold("nn_embedding");
  Tensor flat = gold["flat"], offsets = gold["offsets"], idx = gold["idx"];
  for (std::string mode : {"sum", "mean", "max"}) {
    check(gold, "bag_" + mode, "Gb", [&](const Tensor& w) {
      return F::embedding_bag(flat, w, {.offsets = offsets, .mode = mode});
    });
    check(gold, "bag_pad_" + mode, "Gb", [&](const Tensor& w) {
      return F::embedding_bag(flat, w, {.offsets = offsets, .mode = mode, .padding_idx = 4});
    });
    check(
        gold, "bag2d_" + mode, "Gb",
        [&](const Tensor& w) { return F::embedding_bag(idx, w, {.mode = mode}); }, 2);
  }
  check(gold, "bag_last", "Gb", [&](const Tensor& w) {
    return F::embedding_bag(flat, w,
                            {.offsets = gold["last"], .mode = "sum", .include_last_offset = true});
  });
  Tensor w = gold["w"].clone().requires_grad_(), psw = gold["psw"].clone().requires_grad_();
  Tensor out =
      F::embedding_bag(flat, w, {.offsets = offsets, .mode = "sum", .per_sample_weights = psw});
  (out * gold["Gb"]).sum().backward();
  EXPECT_TENSOR_CLOSE(out.detach(), gold["bag_psw_out"], 1e-10, 1e-12);
  EXPECT_TENSOR_CLOSE(w.grad(), gold["bag_psw_gw"], 1e-10, 1e-12);
  EXPECT_TENSOR_CLOSE(psw.grad(), gold["bag_psw_gpsw"], 1e-10, 1e-12);
}

TEST(NnEmbedding, Modules) {
  testing::Golden gold("nn_embedding");
  nn::Embedding e(7, 3, {.padding_idx = -5, .dtype = kFloat64});
  EXPECT_EQ(*e->padding_idx, 2);
  EXPECT_TRUE(e->weight[2].equal(zeros({3}, {.dtype = kFloat64})));
  {
    NoGradGuard ng;
    e->weight.copy_(gold["w"]);
  }
  Tensor y = e(gold["idx"]);
  EXPECT_EQ(y.grad_fn()->name(), "EmbeddingBackward0");
  (y * gold["G"]).sum().backward();
  EXPECT_TENSOR_CLOSE(y.detach(), gold["emb_pad_out"], 1e-12, 0);
  EXPECT_TENSOR_CLOSE(e->weight.grad(), gold["emb_pad_gw"], 1e-12, 0);

  nn::Embedding pre = nn::Embedding::from_pretrained(gold["w"]);
  EXPECT_FALSE(pre->weight.requires_grad());
  EXPECT_TENSOR_CLOSE(pre(gold["idx"]), gold["emb_out"], 1e-12, 0);
  EXPECT_TRUE(nn::Embedding::from_pretrained(gold["w"], false, 0)->weight.requires_grad());
  EXPECT_EQ(*nn::Embedding::from_pretrained(gold["w"], {.padding_idx = 1})->padding_idx, 1);
  EXPECT_EQ(e->state_dict().keys(), (std::vector<std::string>{"weight"}));

  nn::EmbeddingBag bag = nn::EmbeddingBag::from_pretrained(gold["w"], {.mode = "max"});
  EXPECT_TENSOR_CLOSE(bag(gold["flat"], gold["offsets"]), gold["bag_max_out"], 1e-12, 0);
  nn::EmbeddingBag bag2(7, 3, {.mode = "sum", ._weight = gold["w"]});
  Tensor psw = gold["psw"];
  EXPECT_TENSOR_CLOSE(bag2(gold["flat"], gold["offsets"], psw), gold["bag_psw_out"], 1e-10, 1e-12);
  EXPECT_EQ(bag2->state_dict().keys(), (std::vector<std::string>{"weight"}));
  // Default init: N(0, 1).
  manual_seed(0);
  nn::Embedding big(1000, 50);
  EXPECT_NEAR(big->weight.mean().item<double>(), 0.0, 0.02);
  EXPECT_NEAR(big->weight.std().item<double>(), 1.0, 0.02);
}

// padding_idx and scale_grad_by_freq change the gradient on purpose, so only plain lookups here.
TEST(NnEmbedding, Gradcheck) {
  Tensor w = randn({5, 3}, {.dtype = kFloat64}).requires_grad_();
  Tensor idx = tensor({{0, 3, 3}, {4, 1, 0}});
  auto r =
      autograd::gradcheck([&](const autograd::variable_list& v) { return F::embedding(idx, v[0]); },
                          {w}, {.check_grad_grad = true});
  EXPECT_TRUE(r) << r.message;
  Tensor flat = tensor({0, 3, 3, 4, 1, 0, 2}), offsets = tensor({0, 2, 2, 5});
  for (std::string mode : {"sum", "mean", "max"}) {
    SCOPED_TRACE(mode);
    auto rb = autograd::gradcheck(
        [&](const autograd::variable_list& v) {
          return F::embedding_bag(flat, v[0], {.offsets = offsets, .mode = mode});
        },
        {w});
    EXPECT_TRUE(rb) << rb.message;
  }
}

TEST(NnEmbedding, PrintsAndErrors) {
  EXPECT_EQ(str(nn::Embedding(10, 3)), "Embedding(10, 3)");
  EXPECT_EQ(str(nn::Embedding(10, 3,
                              {.padding_idx = 0,
                               .max_norm = 1,
                               .norm_type = 3.0,
                               .scale_grad_by_freq = true,
                               .sparse = true})),
            "Embedding(10, 3, padding_idx=0, max_norm=1, norm_type=3.0, scale_grad_by_freq=True, "
            "sparse=True)");
  EXPECT_EQ(str(nn::EmbeddingBag(10, 3)), "EmbeddingBag(10, 3, mode=mean)");
  EXPECT_EQ(
      str(nn::EmbeddingBag(
          10, 3, {.max_norm = 1.0, .mode = "sum", .include_last_offset = true, .padding_idx = 2})),
      "EmbeddingBag(10, 3, max_norm=1.0, mode=sum, padding_idx=2)");
  Tensor w = randn({5, 2});
  testing::expect_error([&] { F::embedding(tensor({0, 5}), w); }, "index out of range in self");
  testing::expect_error(
      [&] {
        F::embedding(tensor({0.0, 1.0}), w);
      },
      "Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, "
      "Int");
  testing::expect_error([] { nn::Embedding(5, 2, {.padding_idx = 5}); },
                        "Padding_idx must be within num_embeddings");
  testing::expect_error(
      [&] {
        F::embedding_bag(tensor({{0, 1}}), w, {.offsets = tensor({0})});
      },
      "if input is 2D, then offsets has to be None");
  testing::expect_error(
      [&] {
        F::embedding_bag(tensor({0, 1}), w, {.offsets = tensor({1})});
      },
      "offsets[0] has to be 0");
  testing::expect_error(
      [&] {
        F::embedding_bag(tensor({0, 1}), w,
                         {.offsets = tensor({0}), .per_sample_weights = ones({2})});
      },
      "per_sample_weights is only supported for mode='sum' (got mode='mean')");
  testing::expect_error([] { nn::EmbeddingBag(5, 2, {.mode = "min"}); },
                        "mode has to be one of sum, mean or max");
}

}  // namespace
}  // namespace wick
