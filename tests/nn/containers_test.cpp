// nn containers: Sequential, ModuleList, ModuleDict, ParameterList, ParameterDict. Printed forms
// are the strings PyTorch 1.13 prints for the same structures.
#include <gtest/gtest.h>

#include "wick/nn/containers.h"
#include "wick/wick.h"

namespace wick {
namespace {

// out = x * k (k fixed), a parameter-free stand-in layer.
struct TimesImpl : nn::Module {
  explicit TimesImpl(double k) : k(k) {}
  Tensor forward(const Tensor& x) { return x * k; }
  std::string extra_repr() const override { return "k=" + std::to_string(static_cast<int>(k)); }
  double k;
};
WICK_MODULE(Times);

struct AffineImpl : nn::Module {
  AffineImpl() { w = register_parameter("w", ones({2})); }
  Tensor forward(const Tensor& x) { return x * w; }
  Tensor w;
};
WICK_MODULE(Affine);

std::string str(const nn::Module& m) {
  std::ostringstream os;
  os << m;
  return os.str();
}

TEST(Sequential, RunsInOrderAndNamesChildren) {
  nn::Sequential seq(Times(2), Affine(), Times(3));
  EXPECT_EQ(seq(ones({2})).tolist<float>(), (std::vector<float>{6, 6}));
  EXPECT_EQ(seq->size(), 3u);
  EXPECT_EQ(seq->state_dict().keys(), (std::vector<std::string>{"1.w"}));
  EXPECT_EQ(str(*seq), "Sequential(\n  (0): Times(k=2)\n  (1): Affine()\n  (2): Times(k=3)\n)");
  ASSERT_NE(seq[1]->as<Affine>(), nullptr);
  EXPECT_TRUE(seq[1]->as<Affine>()->w.is_same(seq->named_parameters()["1.w"]));
  EXPECT_EQ(seq[-1]->as<TimesImpl>()->k, 3.0);
  EXPECT_THROW(seq[3], Error);
}

TEST(Sequential, NamedNestedSliceInsertAppend) {
  nn::Sequential inner(Times(5), Affine());
  nn::Sequential seq({{"scale", Times(2)}, {"block", inner}});
  EXPECT_EQ(seq->state_dict().keys(), (std::vector<std::string>{"block.1.w"}));
  EXPECT_EQ(str(*seq), "Sequential(\n  (scale): Times(k=2)\n  (block): Sequential(\n    (0): Times(k=5)\n    (1): Affine()\n  )\n)");
  EXPECT_EQ(seq(ones({2})).tolist<float>(), (std::vector<float>{10, 10}));
  auto tail = seq->slice(1, 2);
  EXPECT_EQ(str(*tail), "Sequential(\n  (block): Sequential(\n    (0): Times(k=5)\n    (1): Affine()\n  )\n)");
  nn::Sequential s2(Times(2));
  s2->append(Times(3));
  s2->insert(0, Times(7));
  EXPECT_EQ(str(*s2), "Sequential(\n  (0): Times(k=7)\n  (1): Times(k=2)\n  (2): Times(k=3)\n)");
  s2->extend(*inner);
  EXPECT_EQ(s2->size(), 5u);
  EXPECT_EQ(str(*nn::Sequential()), "Sequential()");
}

TEST(Sequential, CloneCopiesChildrenDeeply) {
  nn::Sequential seq(Affine(), Times(2));
  auto copy = std::dynamic_pointer_cast<nn::SequentialImpl>(seq->clone());
  ASSERT_NE(copy, nullptr);
  {
    NoGradGuard ng;
    seq[0]->as<Affine>()->w.fill_(4.0);
  }
  EXPECT_EQ(copy->forward(ones({2})).tolist<float>(), (std::vector<float>{2, 2}));
  EXPECT_EQ(seq(ones({2})).tolist<float>(), (std::vector<float>{8, 8}));
}

TEST(ModuleList, HoldsAndIndexes) {
  nn::ModuleList list(Affine(), Times(3));
  list->append(Affine());
  EXPECT_EQ(list->named_parameters().keys(), (std::vector<std::string>{"0.w", "2.w"}));
  EXPECT_EQ(str(*list), "ModuleList(\n  (0): Affine()\n  (1): Times(k=3)\n  (2): Affine()\n)");
  Tensor x = ones({2});
  for (const auto& m : *list) x = m(x);
  EXPECT_EQ(x.tolist<float>(), (std::vector<float>{3, 3}));
  list->insert(1, Times(2));
  EXPECT_EQ(list[1]->as<TimesImpl>()->k, 2.0);
  EXPECT_EQ(list->named_parameters().keys(), (std::vector<std::string>{"0.w", "3.w"}));
  EXPECT_EQ(str(*nn::ModuleList()), "ModuleList()");
}

TEST(ModuleDict, KeysInsertionOrderAndReplace) {
  nn::ModuleDict d({{"lin", Affine()}, {"act", Times(2)}});
  EXPECT_EQ(d->keys(), (std::vector<std::string>{"lin", "act"}));
  EXPECT_EQ(str(*d), "ModuleDict(\n  (lin): Affine()\n  (act): Times(k=2)\n)");
  d->insert("lin", Times(9));
  EXPECT_EQ(d->keys(), (std::vector<std::string>{"lin", "act"}));
  EXPECT_EQ(d["lin"]->as<TimesImpl>()->k, 9.0);
  EXPECT_TRUE(d->parameters().empty());
  d->pop("act");
  EXPECT_FALSE(d->contains("act"));
  EXPECT_THROW(d["act"], Error);
}

// The seeds' MyListDense and MyDictDense (shared/seeds/003), translated.
struct MyListDenseImpl : nn::Module {
  MyListDenseImpl() {
    params->append(randn({4, 4}));
    params->append(randn({4, 4}));
    params->append(randn({4, 4}));
    params->append(randn({4, 1}));
  }
  nn::ParameterList params = register_module("params", nn::ParameterList());
};
WICK_MODULE(MyListDense);

struct MyDictDenseImpl : nn::Module {
  nn::ParameterDict params = register_module(
      "params", nn::ParameterDict({{"linear1", randn({4, 4})}, {"linear2", randn({4, 1})}}));
  MyDictDenseImpl() { params->insert("linear3", randn({4, 2})); }
};
WICK_MODULE(MyDictDense);

TEST(ParameterContainers, SeedExamplesPrintAndRegister) {
  MyListDense l;
  EXPECT_EQ(str(*l),
            "MyListDense(\n  (params): ParameterList(\n      (0): Parameter containing: [torch.float32 of size 4x4]\n"
            "      (1): Parameter containing: [torch.float32 of size 4x4]\n"
            "      (2): Parameter containing: [torch.float32 of size 4x4]\n"
            "      (3): Parameter containing: [torch.float32 of size 4x1]\n  )\n)");
  EXPECT_EQ(l->named_parameters().keys(), (std::vector<std::string>{"params.0", "params.1", "params.2", "params.3"}));
  EXPECT_TRUE(l->params[0].requires_grad());
  MyDictDense d;
  EXPECT_EQ(str(*d),
            "MyDictDense(\n  (params): ParameterDict(\n      (linear1): Parameter containing: [torch.FloatTensor of size 4x4]\n"
            "      (linear2): Parameter containing: [torch.FloatTensor of size 4x1]\n"
            "      (linear3): Parameter containing: [torch.FloatTensor of size 4x2]\n  )\n)");
  EXPECT_EQ(d->state_dict().keys(), (std::vector<std::string>{"params.linear1", "params.linear2", "params.linear3"}));
  auto copy = std::dynamic_pointer_cast<nn::ParameterDictImpl>(d->params->clone());
  EXPECT_EQ(copy->keys(), d->params->keys());
  EXPECT_FALSE((*copy)["linear1"].is_same(d->params["linear1"]));
  EXPECT_EQ((*copy)["linear1"].tolist<float>(), d->params["linear1"].tolist<float>());
}

}  // namespace
}  // namespace wick
