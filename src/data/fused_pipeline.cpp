// fuse_u8_pipeline: looks through the std::function at the transform types (Compose, Resize,
// ToTensor, Normalize) and turns a recognised sequence into one U8ToFloatPlane.
#include "fused_pipeline.h"

#include <vector>

#include "wick/data/transforms.h"

namespace wick::data::detail {

namespace T = transforms;

std::optional<FusedU8Pipeline> fuse_u8_pipeline(const Transform& transform, int64_t h, int64_t w) {
  if (!transform) return std::nullopt;
  std::vector<const Transform*> steps;
  if (const auto* c = transform.target<T::Compose>()) {
    for (const auto& t : c->transforms()) steps.push_back(&t);
  } else {
    steps.push_back(&transform);
  }
  const T::Resize* resize = nullptr;
  const T::Normalize* normalize = nullptr;
  bool to_tensor = false, resize_first = false;
  for (const Transform* t : steps) {
    if (const auto* r = t->target<T::Resize>(); r && !resize && !normalize) {
      resize = r;
      resize_first = !to_tensor;
    } else if (t->target<T::ToTensor>() && !to_tensor && !normalize) {
      to_tensor = true;
    } else if (const auto* n = t->target<T::Normalize>(); n && to_tensor && !normalize) {
      normalize = n;
    } else {
      return std::nullopt;
    }
  }
  if (!to_tensor) return std::nullopt;
  float mean = 0, stdev = 1;
  if (normalize) {
    if (normalize->mean().size() != 1 || normalize->std().size() != 1) return std::nullopt;
    mean = static_cast<float>(normalize->mean()[0]);
    stdev = static_cast<float>(normalize->std()[0]);
    if (stdev == 0) return std::nullopt;  // the general path reports the error
  }
  int64_t oh = h, ow = w;
  auto resample = U8ToFloatPlane::Resample::kNone;
  if (resize) {
    std::tie(oh, ow) = resize->output_size(h, w);
    resample = resize->interpolation() == T::InterpolationMode::BILINEAR
                   ? U8ToFloatPlane::Resample::kBilinear
                   : U8ToFloatPlane::Resample::kNearest;
  }
  return FusedU8Pipeline{U8ToFloatPlane(h, w, oh, ow, resample, resize_first, mean, stdev), oh, ow};
}

}  // namespace wick::data::detail
