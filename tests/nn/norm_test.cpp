// LayerNorm and BatchNorm against PyTorch goldens (outputs, input/weight/bias gradients, running
// stats after several training steps, eval output), in float64 (1e-10) and float32 (1e-5);
// gradchecks with second derivatives; printing, state_dict keys and errors.
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
using autograd::variable_list;

using testing::str;

double rtol(DType dt) { return testing::golden_rtol(dt); }
double atol(DType dt) { return testing::golden_atol(dt); }

// Runs f on leaf copies of `inputs` in dtype dt and checks out and grads of sum(out * G).
void check_fn(const testing::Golden& gold, const std::string& prefix,
              const std::vector<std::string>& names, const std::vector<Tensor>& inputs,
              const Tensor& G, const std::function<Tensor(const variable_list&)>& f) {
  for (DType dt : {kFloat64, kFloat32}) {
    SCOPED_TRACE(prefix + (dt == kFloat64 ? " float64" : " float32"));
    variable_list xs;
    for (const Tensor& t : inputs) xs.push_back(t.to(dt).detach().requires_grad_());
    Tensor out = f(xs);
    (out * G.to(dt)).sum().backward();
    EXPECT_TENSOR_CLOSE(out.detach().to(kFloat64), gold[prefix + "_out"], rtol(dt), atol(dt));
    for (size_t i = 0; i < names.size(); ++i)
      EXPECT_TENSOR_CLOSE(xs[i].grad().to(kFloat64), gold[prefix + "_g" + names[i]], rtol(dt),
                          atol(dt));
  }
}

TEST(NnNorm, LayerNormFunctionalMatchesPyTorch) {
  testing::Golden gold("nn_norm");
  Tensor x = gold["ln_x"], G = gold["ln_G"];
  check_fn(gold, "ln1", {"x", "w", "b"}, {x, gold["ln_w"], gold["ln_b"]}, G,
           [](const variable_list& v) { return F::layer_norm(v[0], {4}, v[1], v[2]); });
  check_fn(gold, "ln2", {"x"}, {x}, G, [](const variable_list& v) {
    return F::layer_norm(v[0], {3, 4}, {}, {}, 1e-3);
  });
  check_fn(gold, "ln3", {"x", "w"}, {x, gold["ln3_w"]}, G, [](const variable_list& v) {
    return F::layer_norm(v[0], {3, 4}, v[1]);
  });
}

TEST(NnNorm, LayerNormModule) {
  testing::Golden gold("nn_norm");
  nn::LayerNorm m(4, {.dtype = kFloat64});
  EXPECT_TENSOR_CLOSE(m->weight, ones({4}, {.dtype = kFloat64}));
  EXPECT_TENSOR_CLOSE(m->bias, zeros({4}, {.dtype = kFloat64}));
  {
    NoGradGuard ng;
    m->weight.copy_(gold["ln_w"]);
    m->bias.copy_(gold["ln_b"]);
  }
  Tensor x = gold["ln_x"].clone().requires_grad_();
  Tensor y = m(x);
  EXPECT_EQ(y.grad_fn()->name(), "NativeLayerNormBackward0");
  (y * gold["ln_G"]).sum().backward();
  EXPECT_TENSOR_CLOSE(y.detach(), gold["ln1_out"], 1e-10, 1e-12);
  EXPECT_TENSOR_CLOSE(x.grad(), gold["ln1_gx"], 1e-10, 1e-12);
  EXPECT_TENSOR_CLOSE(m->weight.grad(), gold["ln1_gw"], 1e-10, 1e-12);
  EXPECT_TENSOR_CLOSE(m->bias.grad(), gold["ln1_gb"], 1e-10, 1e-12);
  nn::LayerNorm m2({3, 4}, {.eps = 1e-3, .elementwise_affine = false});
  EXPECT_TENSOR_CLOSE(m2(gold["ln_x"].to(kFloat32)).to(kFloat64), gold["ln2_out"], 1e-5, 2e-6);
  EXPECT_TRUE(m2->parameters().empty());
  nn::LayerNorm nobias(4, {.bias = false});
  EXPECT_EQ(nobias->state_dict().keys(), (std::vector<std::string>{"weight"}));
  EXPECT_EQ(m->state_dict().keys(), (std::vector<std::string>{"weight", "bias"}));
}

TEST(NnNorm, LayerNormGradcheck) {
  Tensor x = randn({2, 3, 4}, {.dtype = kFloat64}).requires_grad_();
  Tensor w = randn({3, 4}, {.dtype = kFloat64}).requires_grad_();
  Tensor b = randn({3, 4}, {.dtype = kFloat64}).requires_grad_();
  auto r = autograd::gradcheck(
      [](const variable_list& v) {
        return F::layer_norm(v[0], {3, 4}, v[1], v[2]);
      },
      {x, w, b}, {.check_grad_grad = true});
  EXPECT_TRUE(r) << r.message;
  auto r2 = autograd::gradcheck([](const variable_list& v) { return F::layer_norm(v[0], {4}); },
                                {x}, {.check_grad_grad = true});
  EXPECT_TRUE(r2) << r2.message;
  // A non-contiguous input.
  Tensor xt = randn({4, 3}, {.dtype = kFloat64}).requires_grad_();
  auto r3 = autograd::gradcheck([](const variable_list& v) { return F::layer_norm(v[0].t(), {4}); },
                                {xt});
  EXPECT_TRUE(r3) << r3.message;
}

TEST(NnNorm, LayerNormPrintsAndErrors) {
  EXPECT_EQ(str(nn::LayerNorm(10)), "LayerNorm((10,), eps=1e-05, elementwise_affine=True)");
  EXPECT_EQ(str(nn::LayerNorm({3, 4}, {.eps = 1e-6, .elementwise_affine = false})),
            "LayerNorm((3, 4), eps=1e-06, elementwise_affine=False)");
  testing::expect_error(
      [] {
        F::layer_norm(randn({4, 3}), {4});
      },
      "Given normalized_shape=[4], expected input with shape [*, 4], but got input of size[4, 3]");
  testing::expect_error(
      [] {
        F::layer_norm(randn({4, 3}), {3}, ones({4}));
      },
      "Expected weight to be of same shape as normalized_shape, but got weight of shape [4] "
      "and normalized_shape = [3]");
  testing::expect_error([] { F::layer_norm(randn({4, 3}), {}); }, "at least 1-dimensional");
  testing::expect_error(
      [] {
        F::layer_norm(tensor({1, 2}), {2});
      },
      "expected a float32 or float64 input");
}

// ---- batch norm ----

TEST(NnNorm, BatchNormFunctionalMatchesPyTorch) {
  testing::Golden gold("nn_norm");
  for (DType dt : {kFloat64, kFloat32}) {
    SCOPED_TRACE(dt == kFloat64 ? "float64" : "float32");
    Tensor rm = zeros({3}, {.dtype = dt}), rv = ones({3}, {.dtype = dt});
    auto run = [&](const std::string& prefix, bool training) {
      Tensor x = gold["fbn_x"].to(dt).clone().requires_grad_(),
             w = gold["fbn_w"].to(dt).clone().requires_grad_(),
             b = gold["fbn_b"].to(dt).clone().requires_grad_();
      Tensor y = training ? F::batch_norm(x, rm, rv, w, b, true, 0.3, 1e-4)
                          : F::batch_norm(x, rm, rv, w, b);
      EXPECT_EQ(y.grad_fn()->name(), "NativeBatchNormBackward0");
      (y * gold["fbn_G"].to(dt)).sum().backward();
      EXPECT_TENSOR_CLOSE(y.detach().to(kFloat64), gold[prefix + "_out"], rtol(dt), atol(dt));
      EXPECT_TENSOR_CLOSE(x.grad().to(kFloat64), gold[prefix + "_gx"], rtol(dt), atol(dt));
      EXPECT_TENSOR_CLOSE(w.grad().to(kFloat64), gold[prefix + "_gw"], rtol(dt), atol(dt));
      EXPECT_TENSOR_CLOSE(b.grad().to(kFloat64), gold[prefix + "_gb"], rtol(dt), atol(dt));
    };
    run("fbn_train", true);
    EXPECT_TENSOR_CLOSE(rm.to(kFloat64), gold["fbn_rm"], rtol(dt), atol(dt));
    EXPECT_TENSOR_CLOSE(rv.to(kFloat64), gold["fbn_rv"], rtol(dt), atol(dt));
    run("fbn_eval", false);
  }
}

// Replays tools/goldens/nn_norm.py's bn_module: `steps` training batches, then eval on batch 0.
void check_bn_module(const std::string& prefix, int steps,
                     const std::function<std::shared_ptr<nn::NormBase>(DType)>& make,
                     const std::function<Tensor(const Tensor&)>& forward_of_last) {
  testing::Golden gold("nn_norm");
  for (DType dt : {kFloat64, kFloat32}) {
    SCOPED_TRACE(prefix + (dt == kFloat64 ? " float64" : " float32"));
    auto m = make(dt);
    if (m->affine) {
      NoGradGuard ng;
      m->weight.copy_(gold[prefix + "_w"]);
      m->bias.copy_(gold[prefix + "_b"]);
    }
    for (int k = 0; k < steps; ++k) {
      std::string s = std::to_string(k);
      Tensor x = gold[prefix + "_x" + s].to(dt).clone().requires_grad_();
      if (m->affine) {
        m->weight.set_grad(Tensor());
        m->bias.set_grad(Tensor());
      }
      Tensor y = forward_of_last(x);
      (y * gold[prefix + "_G" + s].to(dt)).sum().backward();
      EXPECT_TENSOR_CLOSE(y.detach().to(kFloat64), gold[prefix + "_out" + s], rtol(dt), atol(dt));
      EXPECT_TENSOR_CLOSE(x.grad().to(kFloat64), gold[prefix + "_gx" + s], rtol(dt), atol(dt));
      if (m->affine) {
        EXPECT_TENSOR_CLOSE(m->weight.grad().to(kFloat64), gold[prefix + "_gw" + s], rtol(dt),
                            atol(dt));
        EXPECT_TENSOR_CLOSE(m->bias.grad().to(kFloat64), gold[prefix + "_gb" + s], rtol(dt),
                            atol(dt));
      }
    }
    if (!m->track_running_stats) continue;
    EXPECT_TENSOR_CLOSE(m->running_mean.to(kFloat64), gold[prefix + "_rm"], rtol(dt), atol(dt));
    EXPECT_TENSOR_CLOSE(m->running_var.to(kFloat64), gold[prefix + "_rv"], rtol(dt), atol(dt));
    EXPECT_EQ(m->num_batches_tracked.item<int64_t>(), gold[prefix + "_nbt"].item<int64_t>());
    m->eval();
    if (m->affine) m->weight.set_grad(Tensor());
    Tensor x = gold[prefix + "_x0"].to(dt).clone().requires_grad_();
    Tensor y = forward_of_last(x);
    (y * gold[prefix + "_G0"].to(dt)).sum().backward();
    EXPECT_TENSOR_CLOSE(y.detach().to(kFloat64), gold[prefix + "_eval_out"], rtol(dt), atol(dt));
    EXPECT_TENSOR_CLOSE(x.grad().to(kFloat64), gold[prefix + "_eval_gx"], rtol(dt), atol(dt));
    if (m->affine) {
      EXPECT_TENSOR_CLOSE(m->weight.grad().to(kFloat64), gold[prefix + "_eval_gw"], rtol(dt),
                          atol(dt));
    }
    EXPECT_EQ(m->num_batches_tracked.item<int64_t>(), steps);  // eval does not count
  }
}

template <typename Holder>
void check_bn(const std::string& prefix, int steps, int64_t c, nn::BatchNormOptions o) {
  Holder holder = nullptr;
  check_bn_module(
      prefix, steps,
      [&](DType dt) {
        o.dtype = dt;
        holder = Holder(c, o);
        return std::static_pointer_cast<nn::NormBase>(holder.ptr());
      },
      [&](const Tensor& x) { return holder(x); });
}

TEST(NnNorm, BatchNormModulesMatchPyTorch) {
  check_bn<nn::BatchNorm2d>("bn2", 3, 3, {});
  check_bn<nn::BatchNorm1d>("bn1cma", 3, 3, {.momentum = std::nullopt});
  check_bn<nn::BatchNorm1d>("bn1free", 1, 3, {.affine = false, .track_running_stats = false});
  check_bn<nn::BatchNorm3d>("bn3", 2, 2, {.eps = 1e-3, .momentum = 0.2});
}

TEST(NnNorm, BatchNormGradcheck) {
  Tensor x = randn({3, 2, 4}, {.dtype = kFloat64}).requires_grad_();
  Tensor w = randn({2}, {.dtype = kFloat64}).requires_grad_();
  Tensor b = randn({2}, {.dtype = kFloat64}).requires_grad_();
  auto train = [](const variable_list& v) { return F::batch_norm(v[0], {}, {}, v[1], v[2], true); };
  auto r = autograd::gradcheck(train, {x, w, b}, {.check_grad_grad = true});
  EXPECT_TRUE(r) << r.message;
  Tensor rm = randn({2}, {.dtype = kFloat64}), rv = rand({2}, {.dtype = kFloat64}) + 0.5;
  auto eval = [&](const variable_list& v) {
    return F::batch_norm(v[0], rm, rv, v[1], v[2], false);
  };
  auto r2 = autograd::gradcheck(eval, {x, w, b}, {.check_grad_grad = true});
  EXPECT_TRUE(r2) << r2.message;
  Tensor x2 = randn({5, 3}, {.dtype = kFloat64}).requires_grad_();
  auto r3 = autograd::gradcheck(
      [](const variable_list& v) { return F::batch_norm(v[0], {}, {}, {}, {}, true); }, {x2},
      {.check_grad_grad = true});
  EXPECT_TRUE(r3) << r3.message;
}

TEST(NnNorm, BatchNormStateDictAndPrinting) {
  EXPECT_EQ(nn::BatchNorm2d(6)->state_dict().keys(),
            (std::vector<std::string>{"weight", "bias", "running_mean", "running_var",
                                      "num_batches_tracked"}));
  EXPECT_EQ(nn::BatchNorm1d(3, {.affine = false})->state_dict().keys(),
            (std::vector<std::string>{"running_mean", "running_var", "num_batches_tracked"}));
  EXPECT_EQ(nn::BatchNorm1d(3, {.track_running_stats = false})->state_dict().keys(),
            (std::vector<std::string>{"weight", "bias"}));
  nn::BatchNorm2d m(6);
  EXPECT_EQ(m->num_batches_tracked.dtype(), kInt64);
  EXPECT_EQ(m->num_batches_tracked.dim(), 0);
  EXPECT_EQ(m->parameters().size(), 2u);
  EXPECT_EQ(str(m),
            "BatchNorm2d(6, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)");
  EXPECT_EQ(str(nn::BatchNorm2d(6, {.momentum = std::nullopt})),
            "BatchNorm2d(6, eps=1e-05, momentum=None, affine=True, track_running_stats=True)");
  EXPECT_EQ(str(nn::BatchNorm1d(3, {.eps = 0.001, .affine = false, .track_running_stats = false})),
            "BatchNorm1d(3, eps=0.001, momentum=0.1, affine=False, track_running_stats=False)");
  EXPECT_EQ(str(nn::BatchNorm3d(2, {.momentum = 0.01})),
            "BatchNorm3d(2, eps=1e-05, momentum=0.01, affine=True, track_running_stats=True)");
  // reset_running_stats after training.
  m(randn({2, 6, 3, 3}));
  EXPECT_EQ(m->num_batches_tracked.item<int64_t>(), 1);
  m->reset_running_stats();
  EXPECT_EQ(m->num_batches_tracked.item<int64_t>(), 0);
  EXPECT_TENSOR_CLOSE(m->running_var, ones({6}));
}

TEST(NnNorm, BatchNormErrors) {
  testing::expect_error(
      [] {
        nn::BatchNorm1d(3)(randn({2, 3, 4, 5}));
      },
      "expected 2D or 3D input (got 4D input)");
  testing::expect_error(
      [] {
        nn::BatchNorm2d(3)(randn({2, 3, 4}));
      },
      "expected 4D input (got 3D input)");
  testing::expect_error(
      [] {
        nn::BatchNorm3d(3)(randn({2, 3, 4}));
      },
      "expected 5D input (got 3D input)");
  testing::expect_error(
      [] {
        nn::BatchNorm1d(3)(randn({1, 3}));
      },
      "Expected more than 1 value per channel when training, got input size [1, 3]");
  testing::expect_error(
      [] {
        nn::BatchNorm1d(4)(randn({2, 3}));
      },
      "running_mean should contain 3 elements not 4");
  testing::expect_error(
      [] {
        nn::BatchNorm1d(4, {.track_running_stats = false})(randn({2, 3}));
      },
      "weight should contain 3 elements not 4");
  testing::expect_error(
      [] {
        F::batch_norm(randn({2, 3}), {}, {});
      },
      "must be defined in evaluation mode");
  // Eval with a single sample is fine (running stats), as in PyTorch.
  nn::BatchNorm1d m(3);
  m->eval();
  EXPECT_EQ(m(randn({1, 3})).sizes().vec(), (Shape{1, 3}));
}

}  // namespace
}  // namespace wick
