// F::unfold and F::fold (the CPU im2col and col2im behind every convolution) against plain loops
// over their definitions, for geometries that take the same-width fast path (unit strides, output
// rows as wide as the input's: shifted contiguous lines) and some that do not.
#include <gtest/gtest.h>

#include "support/golden.h"
#include "wick/wick.h"

namespace wick {
namespace {

namespace F = nn::functional;

struct Geometry {
  int64_t c, h, w, kh, kw, ph, pw, dh, dw, sh, sw;
};

// cols[n][(ch, ky, kx)][(oy, ox)] = x[n][ch][oy * sh - ph + ky * dh][ox * sw - pw + kx * dw] or 0.
Tensor naive_unfold(const Tensor& x, const Geometry& g) {
  const int64_t n = x.size(0);
  const int64_t oh = (g.h + 2 * g.ph - g.dh * (g.kh - 1) - 1) / g.sh + 1;
  const int64_t ow = (g.w + 2 * g.pw - g.dw * (g.kw - 1) - 1) / g.sw + 1;
  Tensor out = zeros({n, g.c * g.kh * g.kw, oh * ow}, {.dtype = kFloat64});
  auto xa = x.contiguous();
  const double* xp = xa.data_ptr<double>();
  double* op = out.data_ptr<double>();
  for (int64_t b = 0; b < n; ++b)
    for (int64_t ch = 0; ch < g.c; ++ch)
      for (int64_t ky = 0; ky < g.kh; ++ky)
        for (int64_t kx = 0; kx < g.kw; ++kx)
          for (int64_t oy = 0; oy < oh; ++oy)
            for (int64_t ox = 0; ox < ow; ++ox) {
              const int64_t iy = oy * g.sh - g.ph + ky * g.dh, ix = ox * g.sw - g.pw + kx * g.dw;
              if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) continue;
              const int64_t row = (ch * g.kh + ky) * g.kw + kx;
              op[(b * g.c * g.kh * g.kw + row) * oh * ow + oy * ow + ox] =
                  xp[((b * g.c + ch) * g.h + iy) * g.w + ix];
            }
  return out;
}

// The adjoint: x[n][ch][iy][ix] += cols[n][row][(oy, ox)] wherever that entry read x.
Tensor naive_fold(const Tensor& cols, const Geometry& g) {
  const int64_t n = cols.size(0);
  const int64_t oh = (g.h + 2 * g.ph - g.dh * (g.kh - 1) - 1) / g.sh + 1;
  const int64_t ow = (g.w + 2 * g.pw - g.dw * (g.kw - 1) - 1) / g.sw + 1;
  Tensor out = zeros({n, g.c, g.h, g.w}, {.dtype = kFloat64});
  Tensor ca = cols.contiguous();
  const double* cp = ca.data_ptr<double>();
  double* xp = out.data_ptr<double>();
  for (int64_t b = 0; b < n; ++b)
    for (int64_t ch = 0; ch < g.c; ++ch)
      for (int64_t ky = 0; ky < g.kh; ++ky)
        for (int64_t kx = 0; kx < g.kw; ++kx)
          for (int64_t oy = 0; oy < oh; ++oy)
            for (int64_t ox = 0; ox < ow; ++ox) {
              const int64_t iy = oy * g.sh - g.ph + ky * g.dh, ix = ox * g.sw - g.pw + kx * g.dw;
              if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) continue;
              const int64_t row = (ch * g.kh + ky) * g.kw + kx;
              xp[((b * g.c + ch) * g.h + iy) * g.w + ix] +=
                  cp[(b * g.c * g.kh * g.kw + row) * oh * ow + oy * ow + ox];
            }
  return out;
}

TEST(Im2col, UnfoldAndFoldMatchTheDefinition) {
  for (const Geometry& g : {Geometry{3, 6, 7, 3, 3, 1, 1, 1, 1, 1, 1},   // same width, 3x3
                            Geometry{2, 5, 9, 3, 5, 0, 2, 1, 1, 1, 1},   // same width, no row padding
                            Geometry{2, 7, 8, 3, 3, 2, 2, 2, 2, 1, 1},   // same width, dilated
                            Geometry{1, 4, 3, 5, 7, 3, 3, 1, 1, 1, 1},   // shifts beyond the line
                            Geometry{2, 6, 6, 3, 3, 1, 1, 1, 1, 2, 2},   // strided: general path
                            Geometry{2, 5, 8, 2, 3, 0, 0, 1, 1, 1, 1}}) {  // narrower output
    SCOPED_TRACE(::testing::Message() << g.c << "x" << g.h << "x" << g.w << " k " << g.kh << "x" << g.kw
                                      << " pad " << g.ph << "," << g.pw << " dil " << g.dh << "," << g.dw);
    manual_seed(5);
    Tensor x = randn({2, g.c, g.h, g.w}, {.dtype = kFloat64});
    Tensor got = F::unfold(x, {g.kh, g.kw},
                           {.dilation = {g.dh, g.dw}, .padding = {g.ph, g.pw}, .stride = {g.sh, g.sw}});
    EXPECT_TENSOR_CLOSE(got, naive_unfold(x, g), 0.0, 0.0);
    // col2im, on columns that are not zero where they read padding.
    Tensor cols = randn(got.sizes(), {.dtype = kFloat64});
    Tensor folded = F::fold(cols, {g.h, g.w}, {g.kh, g.kw},
                            {.dilation = {g.dh, g.dw}, .padding = {g.ph, g.pw}, .stride = {g.sh, g.sw}});
    EXPECT_TENSOR_CLOSE(folded, naive_fold(cols, g), 1e-12, 1e-12);
  }
}

}  // namespace
}  // namespace wick
