// 3x3 convolutions with unit stride by Winograd's minimal filtering F(2x2, 3x3) (Lavin and Gray,
// "Fast Algorithms for Convolutional Neural Networks", 2015): each 2x2 block of outputs comes from
// a 4x4 input patch with 16 multiplications per (input, output) channel pair instead of 36, and
// those products are 16 GEMMs over the channels. conv.cpp uses it for all three passes (forward,
// input and weight gradients) of ungrouped float32 3x3 layers (ResNet's and VGG's). Private to
// src/cpu/.
#pragma once

#include <cstdint>

namespace wick::cpu {

struct Winograd3x3 {
  int64_t batch = 0, in_channels = 0, height = 0, width = 0, out_channels = 0, pad_h = 0, pad_w = 0;
  int64_t out_height() const { return height + 2 * pad_h - 2; }
  int64_t out_width() const { return width + 2 * pad_w - 2; }
};

// Whether the transforms pay: 8 or more channels on both sides, and an output image large enough
// that few of its 2x2 tiles hang over the edge. (From 16 channels before: NiN's last 3x3 layer,
// 384 -> 10 on 5x5, took 5.1 ms through im2col, whose 9-fold copy outweighs the transforms, and
// 3.8 ms through Winograd; with 8 -> 12 channels on 24x24 Winograd was even or faster.)
// Padding 0 to 2 (the input gradient of padding p is a convolution with padding 2 - p).
bool winograd_pays(const Winograd3x3& s);

// y (N, K, OH, OW) = conv2d(x (N, C, H, W), w (K, C, 3, 3), padding (pad_h, pad_w)) + bias (K),
// or no bias when it is null; all contiguous. parallel: tiles are split over Wick's pool.
void conv3x3_winograd(const Winograd3x3& s, const float* x, const float* w, const float* bias,
                      float* y, bool parallel);

// gw (K, C, 3, 3) = that convolution's weight gradient for the output gradient gy (N, K, OH, OW)
// and the input x: sum over tiles of (A gy A^T) * (B^T d B), 16 GEMMs over the tiles, then
// G^T (.) G. With threads, fixed shares of the tiles sum separately and are added in order.
void conv3x3_winograd_weight_grad(const Winograd3x3& s, const float* x, const float* gy, float* gw,
                                  bool parallel);

}  // namespace wick::cpu
