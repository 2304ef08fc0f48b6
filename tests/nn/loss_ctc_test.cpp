// F::ctc_loss / nn::CTCLoss against PyTorch goldens (padded and concatenated targets, unequal
// lengths, repeated labels, blank != 0, impossible alignments with and without zero_infinity,
// unbatched input; every reduction), a float64 gradcheck, printing and PyTorch's errors.
#include <gtest/gtest.h>

#include <sstream>

#include "loss_test_util.h"
#include "support/expect_error.h"
#include "wick/wick.h"

namespace wick {
namespace {

namespace F = nn::functional;
using testing::LossCase;
using V = std::vector<Tensor>;

std::vector<LossCase> ctc_cases(const testing::Golden& golden) {
  std::vector<LossCase> c;
  for (std::string r : {"none", "mean", "sum"}) {
    std::vector<std::pair<std::string, nn::CTCLossOptions>> specs = {
        {"ctc_pad_", {.reduction = r}},
        {"ctc_cat_", {.reduction = r}},
        {"ctc_blank2_", {.blank = 2, .reduction = r}},
        {"ctc_zinf_", {.reduction = r, .zero_infinity = true}},
        {"ctc_1d_", {.reduction = r}},
    };
    if (r != "mean") specs.push_back({"ctc_inf_", {.reduction = r}});
    for (const auto& spec : specs) {
      const std::string name = spec.first + r;
      const nn::CTCLossOptions o = spec.second;
      std::vector<int64_t> il = golden[name + "_il"].tolist<int64_t>(), tl = golden[name + "_tl"].tolist<int64_t>();
      c.push_back({name, [il, tl, o](const V& x) { return F::ctc_loss(x[0], x[1], il, tl, o); }});
    }
  }
  return c;
}

TEST(LossCTC, MatchesPyTorch) {
  testing::Golden golden("nn_loss_ctc");
  for (const auto& c : ctc_cases(golden)) {
    testing::check_loss_case(golden, c, kFloat64, 1e-10, 1e-12);
    testing::check_loss_case(golden, c, kFloat32, 1e-5, 1e-5);
  }
}

TEST(LossCTC, TensorLengthsAndModule) {
  Tensor lp = F::log_softmax(randn({7, 2, 4}, {.dtype = kFloat64}), 2);
  Tensor tg = tensor(std::vector<int64_t>{1, 2, 3, 3, 0, 0}).view({2, 3});
  Tensor il = tensor(std::vector<int64_t>{7, 6}), tl = tensor(std::vector<int64_t>{3, 1});
  Tensor a = F::ctc_loss(lp, tg, il, tl, {.reduction = "sum"});
  Tensor b = F::ctc_loss(lp, tg, {7, 6}, {3, 1}, {.reduction = "sum"});
  EXPECT_TENSOR_CLOSE(a, b, 1e-14, 0);
  auto m = nn::CTCLoss({.reduction = "sum"});
  EXPECT_TENSOR_CLOSE(m(lp, tg, il, tl), b, 1e-14, 0);
  // Braced lengths go through forward (the call operator forwards a template pack).
  EXPECT_TENSOR_CLOSE(m->forward(lp, tg, {7, 6}, {3, 1}), b, 1e-14, 0);
  std::ostringstream s;
  s << nn::CTCLoss({.blank = 1});
  EXPECT_EQ(s.str(), "CTCLoss()");
}

TEST(LossCTC, Gradcheck) {
  Tensor x = randn({5, 2, 4}, {.dtype = kFloat64, .requires_grad = true});
  Tensor tg = tensor(std::vector<int64_t>{1, 1, 3, 2, 0, 0}).view({2, 3});
  for (std::string r : {"none", "mean", "sum"}) {
    auto res = autograd::gradcheck(
        [&](const V& in) { return F::ctc_loss(F::log_softmax(in[0], 2), tg, {5, 4}, {3, 1}, {.reduction = r}); },
        {x});
    EXPECT_TRUE(res) << r << ": " << res.message;
  }
  Tensor loss = F::ctc_loss(x, tg, {5, 4}, {3, 1}, {.reduction = "none"});
  EXPECT_EQ(loss.grad_fn()->name(), "CtcLossBackward0");
}

TEST(LossCTC, Errors) {
  using testing::expect_error;
  Tensor lp = F::log_softmax(randn({5, 2, 4}), 2);
  Tensor tg = tensor(std::vector<int64_t>{1, 2, 1, 1}).view({2, 2});
  expect_error([&] { F::ctc_loss(lp, tg, {5, 6}, {2, 2}); },
               "Expected input_lengths to have value at most 5, but got value 6");
  expect_error([&] { F::ctc_loss(lp, tg, {5, 5}, {2, 3}); },
               "Expected tensor to have size at least 3 at dimension 1, but got size 2 for argument #2 'targets'");
  expect_error([&] { F::ctc_loss(lp, tg, {5}, {2, 2}); }, "input_lengths must be of size batch_size");
  expect_error([&] { F::ctc_loss(lp, tg, {5, 5}, {2}); }, "target_lengths must be of size batch_size");
  expect_error([&] { F::ctc_loss(lp, tg, {5, 5}, {2, 2}, {.blank = 4}); }, "blank must be in label range");
  expect_error([&] { F::ctc_loss(lp, tensor(std::vector<int64_t>{1, 2, 1}), {5, 5}, {2, 2}); },
               "Expected tensor to have size 4 at dimension 0, but got size 3 for argument #2 'targets'");
  expect_error([&] { F::ctc_loss(lp, tg, {5, 5}, {2, 2}, {.blank = 1}); },
               "ctc_loss: target label 1 of batch item 0 is out of range [0, 4) or equal to blank (1)");
  expect_error([&] { F::ctc_loss(lp, tg, {5, 5}, {2, 2}, {.reduction = "max"}); },
               "max is not a valid value for reduction");
}

}  // namespace
}  // namespace wick
