// data::transforms: argument checks and torchvision's size, crop-position and padding rules; the
// pixel loops are in image_kernels.cpp. No autograd: transforms run on data, not on parameters.
#include "wick/data/transforms.h"

#include <cmath>

#include "image_kernels.h"
#include "wick/core/error.h"
#include "wick/data/dataloader.h"
#include "wick/ops/creation.h"

namespace wick::data::transforms {

namespace {

// Python's round(): half to even.
int64_t py_round(double v) { return static_cast<int64_t>(std::nearbyint(v)); }

void check_size(const std::vector<int64_t>& s, const char* who) {
  WICK_CHECK(!s.empty() && s.size() <= 2, who,
             ": size should be an int or a sequence of 2 ints, got ", s.size(), " values");
  for (int64_t v : s) WICK_CHECK(v > 0, who, ": size values should be positive, got ", v);
}

}  // namespace

std::vector<int64_t> ImageSize::hw(const char* who) const {
  check_size(v_, who);
  return v_.size() == 1 ? std::vector<int64_t>{v_[0], v_[0]} : v_;
}

Tensor Compose::operator()(const Tensor& img) const {
  Tensor x = img;
  for (const auto& t : transforms_) x = t(x);
  return x;
}

Tensor ToTensor::operator()(const Tensor& pic) const {
  WICK_CHECK(pic.defined() && (pic.dim() == 2 || pic.dim() == 3),
             "ToTensor: pic should be 2 or 3 dimensional, got ", pic.defined() ? pic.dim() : 0,
             " dims");
  Tensor x = pic.dim() == 2 ? pic.unsqueeze(0) : pic;
  auto is_channels = [](int64_t c) { return c == 1 || c == 3 || c == 4; };
  if (x.dim() == 3 && is_channels(x.size(2)) && !is_channels(x.size(0))) x = x.permute({2, 0, 1});
  if (x.dtype() == kUInt8) return detail::uint8_to_unit_float(x);
  return x.contiguous();
}

Normalize::Normalize(std::vector<double> mean, std::vector<double> std, NormalizeOptions options)
    : mean_(std::move(mean)), std_(std::move(std)), options_(options) {
  WICK_CHECK(!mean_.empty() && !std_.empty(), "Normalize: mean and std must not be empty");
}

Tensor Normalize::operator()(const Tensor& tensor) const {
  WICK_CHECK(tensor.defined() && tensor.is_floating_point(),
             "Normalize: Input tensor should be a float tensor. Got ",
             tensor.defined() ? tensor.dtype() : kUInt8, ".");
  WICK_CHECK(tensor.dim() >= 3,
             "Normalize: Expected tensor to be a tensor image of size (..., C, H, W). Got "
             "tensor.size() = ",
             tensor.sizes());
  WICK_CHECK(tensor.dtype() == kFloat32 || tensor.dtype() == kFloat64,
             "Normalize: expected float32 or float64, got ", tensor.dtype());
  int64_t c = tensor.size(-3), hw = tensor.size(-2) * tensor.size(-1);
  auto expand = [&](const std::vector<double>& v, const char* what) {
    WICK_CHECK(v.size() == 1 || static_cast<int64_t>(v.size()) == c, "Normalize: ", what, " has ",
               v.size(), " values, the image has ", c, " channels");
    return v.size() == 1 ? std::vector<double>(static_cast<size_t>(c), v[0]) : v;
  };
  std::vector<double> mean = expand(mean_, "mean"), std = expand(std_, "std");
  if (!tensor.is_cpu()) {
    // A GPU image: its buffer is not host memory, so through Tensor ops (mean/std in its dtype).
    Tensor m = wick::tensor(mean, {.dtype = tensor.dtype()}).view({c, 1, 1}).to(tensor.device());
    Tensor sd = wick::tensor(std, {.dtype = tensor.dtype()}).view({c, 1, 1}).to(tensor.device());
    WICK_CHECK(!(sd == 0).any().item<bool>(), "Normalize: std evaluated to zero after conversion to ", tensor.dtype(),
               ", leading to division by zero.");
    Tensor r = (tensor - m) / sd;
    if (!options_.inplace) return r;
    Tensor self = tensor;
    self.copy_(r);
    return self;
  }
  Tensor out = options_.inplace && tensor.is_contiguous() ? tensor : tensor.contiguous().clone();
  auto run = [&](auto* d) {
    using T = std::remove_pointer_t<decltype(d)>;
    for (size_t k = 0; k < std.size(); ++k) {
      WICK_CHECK(static_cast<T>(std[k]) != T(0),
                 "Normalize: std evaluated to zero after conversion to ", tensor.dtype(),
                 ", leading to division by zero.");
    }
    // torchvision: tensor.sub_(mean).div_(std) with mean and std in the tensor's dtype.
    for (int64_t p = 0, n = tensor.numel() / (c * hw); p < n; ++p) {
      for (int64_t k = 0; k < c; ++k) {
        auto m = static_cast<T>(mean[static_cast<size_t>(k)]),
             s = static_cast<T>(std[static_cast<size_t>(k)]);
        for (int64_t i = 0; i < hw; ++i, ++d) *d = (*d - m) / s;
      }
    }
  };
  if (out.dtype() == kFloat32) {
    run(out.data_ptr<float>());
  } else {
    run(out.data_ptr<double>());
  }
  return out;
}

Resize::Resize(ImageSize size, ResizeOptions options) : size_(size.values()), options_(options) {
  check_size(size_, "Resize");
  WICK_CHECK(!options_.antialias,
             "Resize: antialias=True is not supported (Wick matches torchvision's tensor "
             "Resize with antialias=False)");
  WICK_CHECK(!options_.max_size || size_.size() == 1,
             "Resize: max_size should only be passed if size specifies "
             "the length of the smaller edge, i.e. size should be an int, got size=(",
             size_[0], ", ", size_.size() > 1 ? size_[1] : 0, ")");
}

std::pair<int64_t, int64_t> Resize::output_size(int64_t h, int64_t w) const {
  if (size_.size() == 2) return {size_[0], size_[1]};
  // torchvision's _compute_resized_output_size: the short edge becomes size, the long one follows.
  int64_t short_edge = std::min(h, w), long_edge = std::max(h, w);
  int64_t new_short = size_[0], new_long = new_short * long_edge / short_edge;
  if (options_.max_size) {
    WICK_CHECK(*options_.max_size > new_short, "Resize: max_size = ", *options_.max_size,
               " must be strictly greater than the requested size for the smaller edge size = ",
               new_short);
    if (new_long > *options_.max_size) {
      new_short = new_short * *options_.max_size / new_long;
      new_long = *options_.max_size;
    }
  }
  return w <= h ? std::pair{new_long, new_short} : std::pair{new_short, new_long};
}

Tensor Resize::operator()(const Tensor& img) const {
  WICK_CHECK(img.defined() && img.dim() >= 2,
             "Resize: expected a tensor image of shape (..., H, W)");
  auto [oh, ow] = output_size(img.size(-2), img.size(-1));
  return detail::resize_image(img, oh, ow, options_.interpolation == InterpolationMode::BILINEAR,
                              "Resize");
}

CenterCrop::CenterCrop(ImageSize size) : size_(size.hw("CenterCrop")) {}

Tensor CenterCrop::operator()(const Tensor& img) const {
  WICK_CHECK(img.defined() && img.dim() >= 2,
             "CenterCrop: expected a tensor image of shape (..., H, W)");
  int64_t h = img.size(-2), w = img.size(-1), th = size_[0], tw = size_[1];
  // torchvision zero-pads a too-small image first ((t - s) // 2 before, the rest after), then crops
  // at round((s - t) / 2); both steps are one window here.
  int64_t pad_top = th > h ? (th - h) / 2 : 0, pad_left = tw > w ? (tw - w) / 2 : 0;
  int64_t ph = std::max(h, th), pw = std::max(w, tw);
  int64_t top = py_round(static_cast<double>(ph - th) / 2.0) - pad_top;
  int64_t left = py_round(static_cast<double>(pw - tw) / 2.0) - pad_left;
  return detail::crop_pad(img, top, left, th, tw, 0.0, false, "CenterCrop");
}

RandomCrop::RandomCrop(ImageSize size, RandomCropOptions options)
    : size_(size.hw("RandomCrop")), options_(std::move(options)) {
  auto n = options_.padding.size();
  WICK_CHECK(n == 0 || n == 1 || n == 2 || n == 4,
             "RandomCrop: Padding must be an int or a 1, 2, or 4 element "
             "tuple, not a ",
             n, " element tuple");
  WICK_CHECK(options_.padding_mode == "constant" || options_.padding_mode == "edge",
             "RandomCrop: padding_mode should be constant or edge (reflect and symmetric are not "
             "supported), got ",
             options_.padding_mode);
}

Tensor RandomCrop::operator()(const Tensor& img) const {
  WICK_CHECK(img.defined() && img.dim() >= 2,
             "RandomCrop: expected a tensor image of shape (..., H, W)");
  const auto& p = options_.padding;
  // Left, top, right, bottom borders: torchvision's padding, then pad_if_needed's (t - s on both
  // sides).
  int64_t l = 0, t = 0, r = 0, b = 0;
  if (p.size() == 1) l = t = r = b = p[0];
  if (p.size() == 2) {
    l = r = p[0];
    t = b = p[1];
  }
  if (p.size() == 4) {
    l = p[0];
    t = p[1];
    r = p[2];
    b = p[3];
  }
  int64_t h = img.size(-2) + t + b, w = img.size(-1) + l + r, th = size_[0], tw = size_[1];
  if (options_.pad_if_needed && w < tw) {
    l += tw - w;
    w = 2 * tw - w;
  }
  if (options_.pad_if_needed && h < th) {
    t += th - h;
    h = 2 * th - h;
  }
  WICK_CHECK(h >= th && w >= tw, "RandomCrop: Required crop size (", th, ", ", tw,
             ") is larger than input image size (", h, ", ", w, ")");
  Generator& gen = options_.generator ? *options_.generator : data::current_generator();
  int64_t i = h == th ? 0 : detail::randint(gen, 0, h - th + 1);
  int64_t j = w == tw ? 0 : detail::randint(gen, 0, w - tw + 1);
  return detail::crop_pad(img, i - t, j - l, th, tw, options_.fill, options_.padding_mode == "edge",
                          "RandomCrop");
}

Tensor RandomHorizontalFlip::operator()(const Tensor& img) const {
  Generator& gen = generator_ ? *generator_ : data::current_generator();
  return detail::uniform(gen) < p_ ? detail::flip_last(img, "RandomHorizontalFlip") : img;
}

}  // namespace wick::data::transforms
