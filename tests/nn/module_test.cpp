// nn::Module: registration, traversal, state_dict round trips and errors, to(dtype), train/eval,
// zero_grad, apply, clone, printing and hooks, on small hand-built modules.
#include <gtest/gtest.h>

#include "wick/nn/holder.h"
#include "wick/wick.h"

namespace wick {
namespace {

// y = x * w + b, elementwise, with a non-persistent buffer and a persistent one.
struct ScaleImpl : nn::Module {
  explicit ScaleImpl(int64_t n) : n(n) {
    w = register_parameter("w", ones({n}));
    b = register_parameter("b", zeros({n}));
    count = register_buffer("count", zeros({1}));
    scratch = register_buffer("scratch", zeros({n}), /*persistent=*/false);
  }
  Tensor forward(const Tensor& x) { return x * w + b; }
  std::string extra_repr() const override { return "n=" + std::to_string(n); }
  int64_t n;
  Tensor w, b, count, scratch;
};
WICK_MODULE(Scale);

struct TwoImpl : nn::Module {
  Scale first = register_module("first", Scale(2));
  Scale second = register_module("second", Scale(2));
  Tensor forward(const Tensor& x) { return second(first(x)); }
};
WICK_MODULE(Two);

TEST(Module, NamedTraversalAndStateDictKeys) {
  Two m;
  EXPECT_EQ(m->named_parameters().keys(), (std::vector<std::string>{"first.w", "first.b", "second.w", "second.b"}));
  EXPECT_EQ(m->named_buffers().keys(),
            (std::vector<std::string>{"first.count", "first.scratch", "second.count", "second.scratch"}));
  EXPECT_EQ(m->state_dict().keys(),
            (std::vector<std::string>{"first.w", "first.b", "first.count", "second.w", "second.b", "second.count"}));
  EXPECT_EQ(m->named_children().keys(), (std::vector<std::string>{"first", "second"}));
  EXPECT_EQ(m->named_modules().keys(), (std::vector<std::string>{"", "first", "second"}));
  EXPECT_EQ(m->parameters(/*recurse=*/false).size(), 0u);
  EXPECT_TRUE(m->get_parameter("second.w").is_same(m->second->w));
  EXPECT_THROW(m->get_submodule("third"), Error);
}

TEST(Module, PrintsLikePyTorch) {
  Two m;
  std::ostringstream os;
  os << m;
  EXPECT_EQ(os.str(), "Two(\n  (first): Scale(n=2)\n  (second): Scale(n=2)\n)");
}

TEST(Module, LoadStateDictCopiesValuesAndReportsKeys) {
  Two a, b;
  {
    NoGradGuard ng;
    a->first->w.fill_(3.0);
    a->second->count.fill_(7.0);
  }
  b->load_state_dict(a->state_dict());
  EXPECT_EQ(b->first->w.tolist<float>(), (std::vector<float>{3, 3}));
  EXPECT_EQ(b->second->count.tolist<float>(), (std::vector<float>{7}));
  EXPECT_FALSE(b->first->w.is_same(a->first->w));  // copied, not shared

  nn::StateDict partial = a->state_dict();
  partial.erase("first.b");
  partial.insert("extra", zeros({1}));
  try {
    b->load_state_dict(partial);
    FAIL() << "strict load must throw";
  } catch (const Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("Missing key(s) in state_dict: \"first.b\""), std::string::npos) << msg;
    EXPECT_NE(msg.find("Unexpected key(s) in state_dict: \"extra\""), std::string::npos) << msg;
  }
  auto keys = b->load_state_dict(partial, /*strict=*/false);
  EXPECT_EQ(keys.missing_keys, (std::vector<std::string>{"first.b"}));
  EXPECT_EQ(keys.unexpected_keys, (std::vector<std::string>{"extra"}));

  nn::StateDict wrong = a->state_dict();
  wrong.insert("second.w", zeros({3}));
  try {
    b->load_state_dict(wrong, /*strict=*/false);
    FAIL() << "shape mismatch must throw";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("size mismatch for second.w: copying a param with shape torch.Size([3])"),
              std::string::npos)
        << e.what();
  }
}

TEST(Module, ToDtypeKeepsHandlesValid) {
  Scale s(3);
  Tensor w = s->w;
  s->to(kFloat64);
  EXPECT_EQ(w.dtype(), kFloat64);
  EXPECT_EQ(s->w.dtype(), kFloat64);
  EXPECT_TRUE(s->w.requires_grad());
  Tensor y = s(ones({3}, {.dtype = kFloat64}));
  EXPECT_EQ(y.dtype(), kFloat64);
}

TEST(Module, TrainEvalZeroGradApply) {
  Two m;
  m->eval();
  EXPECT_FALSE(m->first->is_training());
  m->train();
  EXPECT_TRUE(m->second->is_training());
  m(ones({2})).sum().backward();
  EXPECT_TRUE(m->first->w.grad().defined());
  m->zero_grad(/*set_to_none=*/false);
  EXPECT_EQ(m->first->w.grad().tolist<float>(), (std::vector<float>{0, 0}));
  m->zero_grad();
  EXPECT_FALSE(m->first->w.grad().defined());
  std::vector<std::string> order;
  m->apply([&](nn::Module& mod) { order.push_back(mod.name()); });
  EXPECT_EQ(order, (std::vector<std::string>{"Scale", "Scale", "Two"}));
}

TEST(Module, CloneIsDeep) {
  Two a;
  {
    NoGradGuard ng;
    a->first->w.fill_(2.0);
  }
  auto copy = std::dynamic_pointer_cast<TwoImpl>(a->clone());
  ASSERT_NE(copy, nullptr);
  EXPECT_EQ(copy->first->w.tolist<float>(), (std::vector<float>{2, 2}));
  EXPECT_FALSE(copy->first->w.is_same(a->first->w));
  // The clone's forward uses its own (copied) parameters.
  {
    NoGradGuard ng;
    a->first->w.fill_(5.0);
  }
  EXPECT_EQ(copy->forward(ones({2})).tolist<float>(), (std::vector<float>{2, 2}));
}

TEST(Module, RegistrationErrors) {
  Scale s(2);
  EXPECT_THROW(s->register_parameter("w", ones({1})), Error);
  EXPECT_THROW(s->register_parameter("a.b", ones({1})), Error);
  Tensor nonleaf = ones({1}, {.requires_grad = true}) * 2.0;
  EXPECT_THROW(s->register_parameter("nl", nonleaf), Error);
  Scale empty(nullptr);
  EXPECT_THROW(empty(ones({2})), Error);
}

TEST(Module, ForwardAndBackwardHooks) {
  Scale s(2);
  std::vector<std::string> log;
  auto pre = nn::register_forward_pre_hook(*s, [&](nn::Module&, const std::vector<Tensor>& in) {
    log.push_back("pre");
    return std::optional<std::vector<Tensor>>{{in[0] * 2.0}};  // doubles the input
  });
  auto fwd = nn::register_forward_hook(*s, [&](nn::Module& m, const std::vector<Tensor>&, const std::vector<Tensor>& out) {
    log.push_back("fwd:" + m.name());
    return std::optional<std::vector<Tensor>>{{out[0] + 1.0}};
  });
  std::vector<Tensor> gin, gout;
  auto bwd = nn::register_full_backward_hook(*s, [&](nn::Module&, const std::vector<Tensor>& gi, const std::vector<Tensor>& go) {
    gin = gi;
    gout = go;
    return std::nullopt;
  });
  Tensor x = tensor({1.0, 2.0}, {.requires_grad = true});
  Tensor y = s(x);  // (2x) * 1 + 0 + 1
  EXPECT_EQ(y.tolist<float>(), (std::vector<float>{3, 5}));
  EXPECT_EQ(log, (std::vector<std::string>{"pre", "fwd:Scale"}));
  (y * tensor({1.0, 10.0})).sum().backward();
  ASSERT_EQ(gout.size(), 1u);
  EXPECT_EQ(gout[0].tolist<float>(), (std::vector<float>{1, 10}));
  ASSERT_EQ(gin.size(), 1u);
  // grad_input is w.r.t. the (pre-hooked) input of forward: d/d(2x) = w = 1.
  EXPECT_EQ(gin[0].tolist<float>(), (std::vector<float>{1, 10}));
  EXPECT_EQ(x.grad().tolist<float>(), (std::vector<float>{2, 20}));
  pre.remove();
  fwd.remove();
  bwd.remove();
  log.clear();
  EXPECT_EQ(s(x).tolist<float>(), (std::vector<float>{1, 2}));
  EXPECT_TRUE(log.empty());
}

}  // namespace
}  // namespace wick
