// LazyLinear: in_features from the first input, parameters materialised in place (handles taken
// before see the change), PyTorch's printing before/after, state_dict keys, init equal to
// Linear's under the same seed, and the error for a later input of another width.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "support/expect_error.h"
#include "wick/nn/modules/lazy.h"
#include "wick/wick.h"

namespace wick {
namespace {

template <typename M>
std::string str(const M& m) {
  std::ostringstream s;
  s << m;
  return s.str();
}

TEST(NnLazyLinear, PrintsAsPyTorchBeforeAndAfter) {
  nn::LazyLinear m(10);
  EXPECT_EQ(str(m), "LazyLinear(in_features=0, out_features=10, bias=True)");
  EXPECT_TRUE(m->has_uninitialized_params());
  m(randn({2, 5}));
  EXPECT_EQ(str(m), "Linear(in_features=5, out_features=10, bias=True)");
  EXPECT_FALSE(m->has_uninitialized_params());
  auto seq = nn::Sequential(nn::LazyLinear(3, {.bias = false}), nn::ReLU());
  EXPECT_EQ(str(seq), "Sequential(\n  (0): LazyLinear(in_features=0, out_features=3, bias=False)\n  (1): ReLU()\n)");
  seq->forward(randn({4, 7}));
  EXPECT_EQ(str(seq), "Sequential(\n  (0): Linear(in_features=7, out_features=3, bias=False)\n  (1): ReLU()\n)");
}

TEST(NnLazyLinear, ParametersMaterialiseInPlace) {
  nn::LazyLinear m(4);
  auto params = m->parameters();  // taken before the first forward, as an optimizer would
  ASSERT_EQ(params.size(), 2u);
  EXPECT_EQ(params[0].numel(), 0);
  auto sd = m->state_dict();
  EXPECT_EQ(sd.size(), 2u);
  EXPECT_TRUE(sd.contains("weight") && sd.contains("bias"));
  Tensor x = randn({3, 6});
  Tensor y = m(x);
  EXPECT_EQ(params[0].sizes(), (Shape{4, 6}));
  EXPECT_EQ(params[1].sizes(), (Shape{4}));
  EXPECT_TRUE(params[0].requires_grad());
  EXPECT_TRUE(y.allclose(nn::functional::linear(x, m->weight, m->bias)));
  y.sum().backward();
  EXPECT_EQ(params[0].grad().sizes(), (Shape{4, 6}));
  EXPECT_EQ(m->state_dict()["weight"].sizes(), (Shape{4, 6}));
  nn::LazyLinear nb(2, {.bias = false});
  EXPECT_EQ(nb->state_dict().size(), 1u);
}

TEST(NnLazyLinear, InitialisesAsLinear) {
  manual_seed(11);
  nn::Linear ref(6, 4);
  manual_seed(11);
  nn::LazyLinear lazy(4);
  lazy(zeros({1, 6}));
  // Materialisation draws no random numbers before reset_parameters, so both see the same stream.
  EXPECT_TRUE(lazy->weight.equal(ref->weight));
  EXPECT_TRUE(lazy->bias.equal(ref->bias));
}

TEST(NnLazyLinear, FollowsDtypeAndRejectsOtherWidths) {
  nn::LazyLinear m(3, {.dtype = kFloat64});
  Tensor y = m(randn({2, 5}, {.dtype = kFloat64}));
  EXPECT_EQ(m->weight.dtype(), kFloat64);
  EXPECT_EQ(y.dtype(), kFloat64);
  testing::expect_error([&] { m(randn({2, 4}, {.dtype = kFloat64})); },
                        "Linear(in_features=5, out_features=3, bias=True): expected input with last dimension 5, got [2, 4]");
}

}  // namespace
}  // namespace wick
