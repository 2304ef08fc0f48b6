// Strided convolutions whose kernel is longer than the stride build their column matrix from the
// input's stride phases, with output lines padded to the phase width (src/cpu/im2col.h,
// "phase layout"): forward, input gradient (the column gradient added back into the phases, which
// then become the input's) and weight/bias gradients (the output gradient padded with zeros).
// Checked against the plain definition conv = w @ F::unfold(x) + b in float64, whose gradients run
// through unfold's col2im (tested against loops over the definition in im2col_test.cpp). The
// geometries take the phase layout (extra columns at most 1/10 of a line): ResNet's and AlexNet's
// strided layers, odd sizes, phases the input is not covered by, unequal strides, groups, conv1d,
// units of several samples and of one, at 1 and 2 threads. With 8 or more output channels per group
// the float32 forward and weight gradient read the phase planes in place (a LineMatrix, no
// im2col), and with 8 or more on both sides the float32 input gradient is computed phase by phase
// (src/cpu/conv_input_grad_phases.h): each geometry runs with channels for each of those paths.
#include <gtest/gtest.h>

#include <utility>

#include "support/golden.h"
#include "wick/wick.h"

namespace wick {
namespace {

namespace F = nn::functional;

struct Case {
  int64_t batch, in, out, h, w, kh, kw, sh, sw, ph, pw, groups;
};

// w @ unfold(x) + b, group by group, as (N, O, OH, OW).
Tensor by_definition(const Case& c, const Tensor& x, const Tensor& w, const Tensor& b) {
  const int64_t cg = c.in / c.groups, og = c.out / c.groups;
  const int64_t oh = (c.h + 2 * c.ph - c.kh) / c.sh + 1, ow = (c.w + 2 * c.pw - c.kw) / c.sw + 1;
  std::vector<Tensor> parts;
  for (int64_t g = 0; g < c.groups; ++g) {
    Tensor cols = F::unfold(x.narrow(1, g * cg, cg), {c.kh, c.kw},
                            {.padding = {c.ph, c.pw}, .stride = {c.sh, c.sw}});
    parts.push_back(matmul(w.narrow(0, g * og, og).reshape({og, -1}), cols));
  }
  return (cat(parts, 1) + b.view({1, c.out, 1})).view({c.batch, c.out, oh, ow});
}

// Output, input, weight and bias gradients of sum(out * g), in float64.
std::vector<Tensor> run(const Case& c, DType dt, const Tensor& x, const Tensor& w, const Tensor& b,
                        const Tensor& g, bool reference) {
  Tensor xs = x.to(dt).detach().requires_grad_(true), ws = w.to(dt).detach().requires_grad_(true),
         bs = b.to(dt).detach().requires_grad_(true);
  Tensor y = reference
                 ? by_definition(c, xs, ws, bs)
                 : F::conv2d(xs, ws, bs,
                             {.stride = {c.sh, c.sw}, .padding = {c.ph, c.pw}, .groups = c.groups});
  if (!g.defined()) return {y.detach().to(kFloat64)};
  (y * g.to(dt)).sum().backward();
  return {y.detach().to(kFloat64), xs.grad().to(kFloat64), ws.grad().to(kFloat64),
          bs.grad().to(kFloat64)};
}

void check(const Case& c) {
  SCOPED_TRACE(::testing::Message() << c.batch << "x" << c.in << "x" << c.h << "x" << c.w << " k "
                                    << c.kh << "x" << c.kw << " stride " << c.sh << "," << c.sw
                                    << " pad " << c.ph << "," << c.pw << " groups " << c.groups);
  manual_seed(13);
  Tensor x = randn({c.batch, c.in, c.h, c.w}, {.dtype = kFloat64});
  Tensor w = randn({c.out, c.in / c.groups, c.kh, c.kw}, {.dtype = kFloat64}),
         b = randn({c.out}, {.dtype = kFloat64});
  Tensor g = randn(run(c, kFloat64, x, w, b, Tensor(), true)[0].sizes(), {.dtype = kFloat64});
  const std::vector<Tensor> want = run(c, kFloat64, x, w, b, g, true);
  const std::vector<Tensor> got = run(c, kFloat64, x, w, b, g, false);
  for (size_t i = 0; i < want.size(); ++i) EXPECT_TENSOR_CLOSE(got[i], want[i], 1e-11, 1e-11);
  // float32 runs the same loops: rounding of sums of unit normals only.
  const std::vector<Tensor> got32 = run(c, kFloat32, x, w, b, g, false);
  for (size_t i = 0; i < want.size(); ++i) EXPECT_TENSOR_CLOSE(got32[i], want[i], 1e-4, 2e-3);
}

TEST(ConvPhased, MatchesTheDefinition) {
  // Geometries, each run with channels per group that take each float32 path: (2, 3) im2col and
  // col2im over the phase planes; (3, 8) the forward and weight gradient reading the planes in
  // place; (8, 9) the input gradient phase by phase too.
  struct Geometry {
    int64_t batch, h, w, kh, kw, sh, sw, ph, pw, groups;
  };
  const Geometry geometries[] = {
      {3, 24, 24, 3, 3, 2, 2, 1, 1, 1},    // ResNet's 3x3 stride 2: 13 columns for 12
      {2, 25, 23, 3, 3, 2, 2, 1, 1, 1},    // odd sizes
      {2, 24, 25, 3, 3, 2, 2, 0, 0, 1},    // no padding
      {2, 64, 64, 7, 7, 2, 2, 3, 3, 1},    // ResNet's 7x7 stem: one sample per unit
      {1, 87, 87, 11, 11, 4, 4, 1, 1, 1},  // AlexNet's 11x11 stride 4: 16 phases
      {2, 21, 20, 3, 1, 2, 2, 1, 0, 1},    // kernel 1 wide, stride 2: odd columns unread
      {2, 12, 22, 3, 3, 2, 1, 1, 1, 1},    // stride 2 down, 1 across
      {2, 12, 43, 3, 3, 2, 1, 1, 1, 1},    // the same, longer lines
      {2, 38, 38, 5, 5, 3, 3, 0, 0, 1},    // stride 3, no padding
      {2, 24, 24, 3, 3, 2, 2, 1, 1, 2},    // groups
  };
  const int threads = get_num_threads();
  for (int t : {1, 2}) {
    set_num_threads(t);
    SCOPED_TRACE(t);
    for (const Geometry& g : geometries)
      for (const auto& [in, out] : {std::pair<int64_t, int64_t>{2, 3}, {3, 8}, {8, 9}})
        check({g.batch, in * g.groups, out * g.groups, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw,
               g.groups});
    check({2, 4, 4, 24, 24, 3, 3, 2, 2, 1, 1, 4});    // depthwise
    check({3, 40, 20, 24, 24, 3, 3, 2, 2, 1, 1, 1});  // two depth blocks of the packed kernel
  }
  set_num_threads(threads);
}

// conv1d stride 2 (a 1-d geometry is one line: its phases are two half-length lines).
TEST(ConvPhased, Conv1dMatchesConv2dOverOneLine) {
  manual_seed(17);
  Tensor x = randn({2, 3, 50}, {.dtype = kFloat64}), w = randn({4, 3, 5}, {.dtype = kFloat64}),
         b = randn({4}, {.dtype = kFloat64});
  const Case c{2, 3, 4, 1, 50, 1, 5, 1, 2, 0, 2, 1};
  auto grads = [&](bool reference) {
    Tensor xs = x.detach().requires_grad_(true), ws = w.detach().requires_grad_(true),
           bs = b.detach().requires_grad_(true);
    Tensor y = reference ? by_definition(c, xs.unsqueeze(2), ws.unsqueeze(2), bs).squeeze(2)
                         : F::conv1d(xs, ws, bs, {.stride = 2, .padding = 2});
    (y * arange(y.numel(), {.dtype = kFloat64}).view(y.sizes()).cos()).sum().backward();
    return std::vector<Tensor>{y.detach(), xs.grad(), ws.grad(), bs.grad()};
  };
  const std::vector<Tensor> want = grads(true), got = grads(false);
  for (size_t i = 0; i < want.size(); ++i) EXPECT_TENSOR_CLOSE(got[i], want[i], 1e-11, 1e-11);
}

}  // namespace
}  // namespace wick
