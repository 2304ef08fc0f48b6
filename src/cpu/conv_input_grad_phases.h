// The input gradient of a strided 2-d convolution, one stride phase of the input at a time. Input
// row r = i * s + a (phase a) receives only from kernel rows kh = (a + p) % s + t * s, at output
// rows i + (a + p) / s - t: each phase of gx is a unit-stride correlation of the output gradient
// with its own taps of the kernel. So each is one GEMM, gx phase (C, lines) = the phase's taps of
// w^T (C, O * taps) @ the output gradient's shifted windows (O * taps, lines), where the
// output gradient, padded to a plane whose lines are as wide as the phase's output lines, makes
// every window row one run (a LineMatrix over it, gemm.h): the same multiply-adds as
// conv.cpp's GEMM + col2im, without writing and scattering back the column gradient. Private to
// src/cpu/.
#pragma once

#include <cstdint>

#include "im2col.h"

namespace wick::cpu {

// Whether conv_input_grad_by_phases takes this layer: the packed float32 kernel is built, the
// layer has the phase layout (im2col.h: its output lines widened by at most a tenth, which the
// phases' GEMMs compute and throw away too), and both sides have enough channels for the GEMMs (at
// least 8). Stride-2 3x3 layers on 24x24 at 1 thread, Emerald Rapids: 128 -> 128 channels 14.4 ->
// 12.5 ms, 64 -> 128 7.2 -> 6.6 ms. Their B holds O * taps rows where GEMM + col2im's column
// gradient has C * taps: with 2C output channels on a 12x12 input (widened by a sixth) it ran 1.3
// times slower, and a 1x1 stride-2 layer (three phases of zeros) 1.6 times; neither is taken.
bool input_grad_by_phases_applies(const ConvGeom& g, int64_t out_channels_per_group);

// gx (N, groups * g.channels, *g.in) from gy (N, groups * out_channels_per_group, *g.out) and
// w (groups * out_channels_per_group, g.channels, *g.kernel), all contiguous; gx is overwritten.
// parallel: samples are shared out over Wick's pool (or each GEMM split when there are fewer
// samples than threads).
void conv_input_grad_by_phases(const ConvGeom& g, int64_t batch, int64_t groups,
                               int64_t out_channels_per_group, const float* gy, const float* w,
                               float* gx, bool parallel);

}  // namespace wick::cpu
