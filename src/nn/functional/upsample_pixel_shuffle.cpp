// pixel_shuffle / pixel_unshuffle as reshape + permute + reshape, with PyTorch's checks and
// messages. Leading batch dims (any number, or none) are kept.
#include "wick/nn/functional/pixelshuffle.h"

namespace wick::nn::functional {
namespace {

Shape lead_dims(const Tensor& x) { return Shape(x.sizes().begin(), x.sizes().end() - 3); }

Shape cat_shape(Shape lead, std::initializer_list<int64_t> tail) {
  lead.insert(lead.end(), tail.begin(), tail.end());
  return lead;
}

}  // namespace

Tensor pixel_shuffle(const Tensor& input, int64_t r) {
  WICK_CHECK(input.dim() >= 3, "pixel_shuffle expects input to have at least 3 dimensions, but got input with ",
             input.dim(), " dimension(s)");
  WICK_CHECK(r > 0, "pixel_shuffle expects a positive upscale_factor, but got ", r);
  const int64_t c = input.size(-3), h = input.size(-2), w = input.size(-1);
  WICK_CHECK(c % (r * r) == 0,
             "pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, "
             "but input.size(-3)=", c, " is not divisible by ", r * r);
  const Shape lead = lead_dims(input);
  const int64_t n = static_cast<int64_t>(lead.size()), oc = c / (r * r);
  // (*, oc, r, r, h, w) -> (*, oc, h, r, w, r)
  Tensor t = input.reshape(cat_shape(lead, {oc, r, r, h, w}));
  Shape perm;
  for (int64_t i = 0; i < n; ++i) perm.push_back(i);
  for (int64_t i : {0, 3, 1, 4, 2}) perm.push_back(n + i);
  return t.permute(perm).reshape(cat_shape(lead, {oc, h * r, w * r}));
}

Tensor pixel_unshuffle(const Tensor& input, int64_t r) {
  WICK_CHECK(input.dim() >= 3, "pixel_unshuffle expects input to have at least 3 dimensions, but got input with ",
             input.dim(), " dimension(s)");
  WICK_CHECK(r > 0, "pixel_unshuffle expects a positive downscale_factor, but got ", r);
  const int64_t c = input.size(-3), h = input.size(-2), w = input.size(-1);
  WICK_CHECK(h % r == 0, "pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)=", h,
             " is not divisible by ", r);
  WICK_CHECK(w % r == 0, "pixel_unshuffle expects width to be divisible by downscale_factor, but input.size(-1)=", w,
             " is not divisible by ", r);
  const Shape lead = lead_dims(input);
  const int64_t n = static_cast<int64_t>(lead.size());
  // (*, c, h/r, r, w/r, r) -> (*, c, r, r, h/r, w/r)
  Tensor t = input.reshape(cat_shape(lead, {c, h / r, r, w / r, r}));
  Shape perm;
  for (int64_t i = 0; i < n; ++i) perm.push_back(i);
  for (int64_t i : {0, 2, 4, 1, 3}) perm.push_back(n + i);
  return t.permute(perm).reshape(cat_shape(lead, {c * r * r, h / r, w / r}));
}

}  // namespace wick::nn::functional
