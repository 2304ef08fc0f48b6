// F::unfold and F::fold (the CPU im2col and col2im behind every convolution) against plain loops
// over their definitions, for geometries that take the unit-stride path (shifted lines; one
// contiguous run when output rows are as wide as the input's) and some that do not.
#include <gtest/gtest.h>

#include "support/golden.h"
#include "wick/wick.h"

namespace wick {
namespace {

namespace F = nn::functional;

struct Geometry {
  int64_t c, h, w, kh, kw, ph, pw, dh, dw, sh, sw;
};

int64_t out_h(const Geometry& g) { return (g.h + 2 * g.ph - g.dh * (g.kh - 1) - 1) / g.sh + 1; }
int64_t out_w(const Geometry& g) { return (g.w + 2 * g.pw - g.dw * (g.kw - 1) - 1) / g.sw + 1; }

// fn(col_index, x_index) for every entry cols[b][(ch, ky, kx)][(oy, ox)] of n samples' column
// matrices that reads x[b][ch][oy * sh - ph + ky * dh][ox * sw - pw + kx * dw] (not padding).
template <typename F>
void for_each_read(int64_t n, const Geometry& g, F&& fn) {
  const int64_t oh = out_h(g), ow = out_w(g);
  for (int64_t b = 0; b < n; ++b)
    for (int64_t ch = 0; ch < g.c; ++ch)
      for (int64_t ky = 0; ky < g.kh; ++ky)
        for (int64_t kx = 0; kx < g.kw; ++kx)
          for (int64_t oy = 0; oy < oh; ++oy)
            for (int64_t ox = 0; ox < ow; ++ox) {
              const int64_t iy = oy * g.sh - g.ph + ky * g.dh, ix = ox * g.sw - g.pw + kx * g.dw;
              if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) continue;
              const int64_t row = (ch * g.kh + ky) * g.kw + kx;
              fn((b * g.c * g.kh * g.kw + row) * oh * ow + oy * ow + ox,
                 ((b * g.c + ch) * g.h + iy) * g.w + ix);
            }
}

Tensor naive_unfold(const Tensor& x, const Geometry& g) {
  Tensor out = zeros({x.size(0), g.c * g.kh * g.kw, out_h(g) * out_w(g)}, {.dtype = kFloat64});
  Tensor xc = x.contiguous();
  const double* xp = xc.data_ptr<double>();
  double* op = out.data_ptr<double>();
  for_each_read(x.size(0), g, [&](int64_t ci, int64_t xi) { op[ci] = xp[xi]; });
  return out;
}

// The adjoint: every entry is added where it read.
Tensor naive_fold(const Tensor& cols, const Geometry& g) {
  Tensor out = zeros({cols.size(0), g.c, g.h, g.w}, {.dtype = kFloat64});
  Tensor cc = cols.contiguous();
  const double* cp = cc.data_ptr<double>();
  double* xp = out.data_ptr<double>();
  for_each_read(cols.size(0), g, [&](int64_t ci, int64_t xi) { xp[xi] += cp[ci]; });
  return out;
}

TEST(Im2col, UnfoldAndFoldMatchTheDefinition) {
  for (const Geometry& g :
       {Geometry{3, 6, 7, 3, 3, 1, 1, 1, 1, 1, 1},     // same width, 3x3
        Geometry{2, 5, 9, 3, 5, 0, 2, 1, 1, 1, 1},     // same width, no row padding
        Geometry{2, 7, 8, 3, 3, 2, 2, 2, 2, 1, 1},     // same width, dilated
        Geometry{1, 4, 3, 5, 7, 3, 3, 1, 1, 1, 1},     // shifts beyond the line
        Geometry{2, 6, 6, 3, 3, 1, 1, 1, 1, 2, 2},     // strided
        Geometry{2, 8, 8, 3, 3, 1, 1, 1, 1, 2, 2},     // ResNet's downsampling 3x3
        Geometry{2, 7, 9, 3, 3, 1, 1, 1, 1, 2, 2},     // the same on odd sizes
        Geometry{3, 6, 7, 1, 1, 0, 0, 1, 1, 2, 2},     // ResNet's 1x1 shortcut, stride 2
        Geometry{2, 9, 11, 3, 2, 2, 1, 2, 1, 3, 2},    // rows stride 3 and dilated
        Geometry{1, 7, 10, 2, 3, 1, 2, 1, 2, 1, 3},    // columns stride 3 (runtime stride)
        Geometry{2, 5, 6, 4, 4, 3, 3, 1, 1, 2, 2},     // whole lines in the padding, strided
        Geometry{1, 14, 15, 11, 11, 1, 1, 1, 1, 4, 4},  // AlexNet's 11x11, stride 4
        Geometry{2, 5, 8, 2, 3, 0, 0, 1, 1, 1, 1},     // narrower output
        Geometry{3, 9, 10, 5, 5, 0, 0, 1, 1, 1, 1},    // LeNet's conv2, valid
        Geometry{2, 6, 5, 3, 3, 2, 3, 1, 1, 1, 1},     // wider output than input
        Geometry{1, 8, 9, 3, 2, 1, 0, 2, 3, 1, 1}}) {  // dilated, narrower
    SCOPED_TRACE(::testing::Message()
                 << g.c << "x" << g.h << "x" << g.w << " k " << g.kh << "x" << g.kw << " pad "
                 << g.ph << "," << g.pw << " dil " << g.dh << "," << g.dw);
    manual_seed(5);
    Tensor x = randn({2, g.c, g.h, g.w}, {.dtype = kFloat64});
    // float32 runs the same loops as float64: the copy is exact, the adds in the same order.
    const Tensor x32 = x.to(kFloat32);
    EXPECT_TENSOR_CLOSE(F::unfold(x32, {g.kh, g.kw},
                                  {.dilation = {g.dh, g.dw}, .padding = {g.ph, g.pw}, .stride = {g.sh, g.sw}})
                            .to(kFloat64),
                        naive_unfold(x32.to(kFloat64), g), 0.0, 0.0);
    Tensor got =
        F::unfold(x, {g.kh, g.kw},
                  {.dilation = {g.dh, g.dw}, .padding = {g.ph, g.pw}, .stride = {g.sh, g.sw}});
    EXPECT_TENSOR_CLOSE(got, naive_unfold(x, g), 0.0, 0.0);
    // col2im, on columns that are not zero where they read padding.
    Tensor cols = randn(got.sizes(), {.dtype = kFloat64});
    Tensor folded =
        F::fold(cols, {g.h, g.w}, {g.kh, g.kw},
                {.dilation = {g.dh, g.dw}, .padding = {g.ph, g.pw}, .stride = {g.sh, g.sw}});
    EXPECT_TENSOR_CLOSE(folded, naive_fold(cols, g), 1e-12, 1e-12);
  }
}

}  // namespace
}  // namespace wick
