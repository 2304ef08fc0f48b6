// Recognises the common MNIST pipelines ([Resize] + ToTensor + [Normalize], or ToTensor + [Resize]
// + [Normalize], alone or in a Compose) so a batch is written straight from uint8 into the batch
// buffer. Anything else (random transforms, Lambda, ...) is not fused and takes the general path.
#pragma once

#include <optional>

#include "image_kernels.h"
#include "wick/data/dataset.h"

namespace wick::data::detail {

struct FusedU8Pipeline {
  U8ToFloatPlane plane;
  int64_t oh, ow;  // the output size of one (h, w) plane
};

// For single-channel (h, w) uint8 images; nullopt when `transform` is not such a pipeline.
std::optional<FusedU8Pipeline> fuse_u8_pipeline(const Transform& transform, int64_t h, int64_t w);

}  // namespace wick::data::detail
