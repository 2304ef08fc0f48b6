// Image transforms, as torchvision.transforms on tensors (C, H, W) or (..., C, H, W): Compose,
// ToTensor, Normalize, Resize, CenterCrop, RandomCrop, RandomHorizontalFlip, Lambda. No PIL:
// images are uint8 or float tensors; Resize is torchvision's tensor Resize without antialiasing.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "wick/core/generator.h"
#include "wick/data/dataset.h"

namespace wick::data::transforms {

// An image size: one int (Resize: the smaller edge; crops: a square) or (h, w).
class ImageSize {
 public:
  ImageSize(int64_t s) : v_{s} {}                          // NOLINT
  ImageSize(int s) : v_{s} {}                              // NOLINT
  ImageSize(std::initializer_list<int64_t> s) : v_(s) {}   // NOLINT
  ImageSize(std::vector<int64_t> s) : v_(std::move(s)) {}  // NOLINT
  const std::vector<int64_t>& values() const { return v_; }
  // (h, w) for a crop: an int means a square.
  std::vector<int64_t> hw(const char* who) const;

 private:
  std::vector<int64_t> v_;
};

// torchvision.transforms.Compose: applies the transforms in order.
class Compose {
 public:
  Compose(std::vector<Transform> transforms) : transforms_(std::move(transforms)) {}  // NOLINT
  Tensor operator()(const Tensor& img) const;
  const std::vector<Transform>& transforms() const { return transforms_; }

 private:
  std::vector<Transform> transforms_;
};

// ToTensor: uint8 images become float32 in [0, 1]; (H, W) gains a channel dim; (H, W, C) with C in
// {1, 3, 4} and a first dim not in {1, 3, 4} is moved to (C, H, W). Other dtypes keep their values.
struct ToTensor {
  Tensor operator()(const Tensor& pic) const;
};

struct NormalizeOptions {
  bool inplace = false;
};
// Normalize(mean, std): (x - mean[c]) / std[c] per channel of a float (..., C, H, W) tensor.
class Normalize {
 public:
  Normalize(std::vector<double> mean, std::vector<double> std, NormalizeOptions options = {});
  Tensor operator()(const Tensor& tensor) const;
  const std::vector<double>& mean() const { return mean_; }
  const std::vector<double>& std() const { return std_; }

 private:
  std::vector<double> mean_, std_;
  NormalizeOptions options_;
};

enum class InterpolationMode { NEAREST, BILINEAR };

struct ResizeOptions {
  InterpolationMode interpolation = InterpolationMode::BILINEAR;
  std::optional<int64_t> max_size = std::nullopt;  // only with a single-int size
  bool antialias =
      false;  // true is not supported (torchvision's tensor default here is no antialias)
};

// Resize(size): an int matches the smaller edge keeping the aspect ratio, (h, w) is exact. Values
// as torch.nn.functional.interpolate(align_corners=False); uint8 images are rounded back to uint8
// (half to even) like torchvision.
class Resize {
 public:
  Resize(ImageSize size, ResizeOptions options = {});
  Tensor operator()(const Tensor& img) const;
  // The output (h, w) for an input of (h, w).
  std::pair<int64_t, int64_t> output_size(int64_t h, int64_t w) const;
  InterpolationMode interpolation() const { return options_.interpolation; }

 private:
  std::vector<int64_t> size_;
  ResizeOptions options_;
};

// CenterCrop(size): the centre (top = round((H - h) / 2)); zero-pads an image smaller than the
// crop.
class CenterCrop {
 public:
  CenterCrop(ImageSize size);  // NOLINT
  Tensor operator()(const Tensor& img) const;

 private:
  std::vector<int64_t> size_;
};

struct RandomCropOptions {
  // Borders added first: {all}, {left/right, top/bottom} or {left, top, right, bottom}.
  std::vector<int64_t> padding = {};
  bool pad_if_needed = false;
  double fill = 0;
  std::string padding_mode = "constant";  // constant or edge
  Generator* generator = nullptr;         // null: data::current_generator()
};

// RandomCrop(size, {.padding, .pad_if_needed, .fill}): a crop at a uniformly random position.
class RandomCrop {
 public:
  RandomCrop(ImageSize size, RandomCropOptions options = {});
  Tensor operator()(const Tensor& img) const;

 private:
  std::vector<int64_t> size_;
  RandomCropOptions options_;
};

// RandomHorizontalFlip(p): flips the last dim with probability p.
class RandomHorizontalFlip {
 public:
  explicit RandomHorizontalFlip(double p = 0.5, Generator* generator = nullptr)
      : p_(p), generator_(generator) {}
  Tensor operator()(const Tensor& img) const;

 private:
  double p_;
  Generator* generator_;
};

// Lambda(fn): any Tensor -> Tensor function as a transform.
class Lambda {
 public:
  explicit Lambda(Transform fn) : fn_(std::move(fn)) {}
  Tensor operator()(const Tensor& img) const { return fn_(img); }

 private:
  Transform fn_;
};

}  // namespace wick::data::transforms
