// F(2x2, 3x3) in three steps per chunk of output tiles (a thread's unit of work): the input
// patches' transforms B^T d B into V (16, C, tiles), the 16 GEMMs M_xi = U_xi (K, C) @ V_xi, and
// the outputs' transforms A^T m A. The filters' transforms U = G g G^T are made once per call.
// The tile loops run along a row of tiles, so that GCC vectorises them across 8 tiles (the
// patches of neighbouring tiles start 2 columns apart: stride-2 loads and stores).
#include "winograd.h"

#include <algorithm>
#include <vector>

#include "allocator.h"
#include "gemm.h"
#include "thread_pool.h"

namespace wick::cpu {
namespace {

// V and M of one chunk together stay near this size (they are written, multiplied and read back).
constexpr int64_t kChunkBytes = int64_t{1} << 20;

// U (16, K, C): G g G^T for each filter g = w[k, c] (3x3), G = [1 0 0; .5 .5 .5; .5 -.5 .5; 0 0 1].
void transform_filters(const float* w, int64_t K, int64_t C, float* u) {
  const int64_t kc = K * C;
  for (int64_t i = 0; i < kc; ++i) {
    const float* g = w + i * 9;
    float t[4][3];  // G g
    for (int q = 0; q < 3; ++q) {
      t[0][q] = g[q];
      t[1][q] = 0.5f * (g[q] + g[3 + q] + g[6 + q]);
      t[2][q] = 0.5f * (g[q] - g[3 + q] + g[6 + q]);
      t[3][q] = g[6 + q];
    }
    for (int r = 0; r < 4; ++r) {
      const float a = t[r][0], b = t[r][1], c = t[r][2];
      u[(r * 4 + 0) * kc + i] = a;
      u[(r * 4 + 1) * kc + i] = 0.5f * (a + b + c);
      u[(r * 4 + 2) * kc + i] = 0.5f * (a - b + c);
      u[(r * 4 + 3) * kc + i] = c;
    }
  }
}

struct Tiling {
  int64_t rows, cols;  // tiles per image along H and W: ceil(OH / 2), ceil(OW / 2)
};

// A thread's unit of work: tile rows [ty0, ty1) of samples [n0, n1) (whole images when they are
// small, else a band of one image). Tile (n, ty, tx) is column j(n, ty) + tx of its matrices.
struct Chunk {
  int64_t n0, n1, ty0, ty1, cols;
  int64_t tiles() const { return (n1 - n0) * (ty1 - ty0) * cols; }
  int64_t j(int64_t n, int64_t ty) const { return ((n - n0) * (ty1 - ty0) + ty - ty0) * cols; }
};

// Chunks of about `target` tiles: several whole images, or bands of whole tile rows of one.
struct Chunking {
  Tiling tl;
  int64_t batch, images_per, rows_per, per_image_chunks;
  Chunking(const Tiling& t, int64_t n, int64_t target) : tl(t), batch(n) {
    const int64_t per_image = t.rows * t.cols;
    images_per = per_image <= target ? std::max<int64_t>(1, target / per_image) : 1;
    // Bands of equal height: 12 tile rows at 10 per band would leave a band of 2.
    per_image_chunks = per_image <= target ? 1 : (t.rows + std::max<int64_t>(1, target / t.cols) - 1) /
                                                     std::max<int64_t>(1, target / t.cols);
    rows_per = (t.rows + per_image_chunks - 1) / per_image_chunks;
    per_image_chunks = (t.rows + rows_per - 1) / rows_per;
  }
  int64_t count() const {
    return images_per > 1 ? (batch + images_per - 1) / images_per : batch * per_image_chunks;
  }
  Chunk operator[](int64_t q) const {
    if (images_per > 1) return {q * images_per, std::min(batch, (q + 1) * images_per), 0, tl.rows, tl.cols};
    const int64_t n = q / per_image_chunks, ty0 = q % per_image_chunks * rows_per;
    return {n, n + 1, ty0, std::min(tl.rows, ty0 + rows_per), tl.cols};
  }
};

// B^T (a0 a1 a2 a3)^T and A^T (a0 a1 a2 a3)^T, on named values rather than small arrays: GCC
// leaves such arrays in memory and then does not vectorise the tile loop.
struct Quad {
  float v0, v1, v2, v3;
};
inline Quad bt(float a0, float a1, float a2, float a3) { return {a0 - a2, a1 + a2, a2 - a1, a1 - a3}; }
struct Pair {
  float v0, v1;
};
inline Pair at(float a0, float a1, float a2, float a3) { return {a0 + a1 + a2, a1 - a2 - a3}; }

// Row r of a transformed patch: V[4 r + q, c, tx] for q = 0..3 (out is V at channel c).
inline void store_row(float* __restrict out, int r, int64_t xi_stride, int64_t tx, const Quad& q) {
  out[(r * 4 + 0) * xi_stride + tx] = q.v0;
  out[(r * 4 + 1) * xi_stride + tx] = q.v1;
  out[(r * 4 + 2) * xi_stride + tx] = q.v2;
  out[(r * 4 + 3) * xi_stride + tx] = q.v3;
}

// V[xi, c, j] for the chunk's tiles: B^T d B of each 4x4 patch d, B^T = [1 0 -1 0; 0 1 1 0;
// 0 -1 1 0; 0 1 0 -1]. `pad` receives the input rows the chunk reads of one (sample, channel),
// zero-padded to 2 * cols + 2 wide (2 * (ty1 - ty0) + 2 rows).
void transform_inputs(const Winograd3x3& s, const Chunk& ck, const float* x, float* v, float* pad) {
  const int64_t C = s.in_channels, H = s.height, W = s.width, ld = ck.tiles(), xi_stride = C * ld;
  const int64_t pw = 2 * ck.cols + 2, pad_rows = 2 * (ck.ty1 - ck.ty0) + 2;
  for (int64_t n = ck.n0; n < ck.n1; ++n)
    for (int64_t c = 0; c < C; ++c) {
      const float* plane = x + (n * C + c) * H * W;
      for (int64_t r = 0; r < pad_rows; ++r) {
        float* row = pad + r * pw;
        const int64_t ih = 2 * ck.ty0 - s.pad_h + r;
        std::fill(row, row + pw, 0.0f);
        if (ih >= 0 && ih < H) std::copy_n(plane + ih * W, W, row + s.pad_w);
      }
      for (int64_t ty = ck.ty0; ty < ck.ty1; ++ty) {
        const float* __restrict d0 = pad + 2 * (ty - ck.ty0) * pw;
        const float* __restrict d1 = d0 + pw;
        const float* __restrict d2 = d0 + 2 * pw;
        const float* __restrict d3 = d0 + 3 * pw;
        float* __restrict out = v + c * ld + ck.j(n, ty);
        // Tiles write disjoint cells of buffers their loads do not touch; unsaid, GCC would need
        // a run-time overlap test for each pair of the 16 streams and gives up.
#pragma GCC ivdep
        for (int64_t tx = 0; tx < ck.cols; ++tx) {
          const int64_t at = 2 * tx;
          // Columns of B^T d, then B^T applied to each of their rows gives row r of B^T d B.
          const Quad c0 = bt(d0[at], d1[at], d2[at], d3[at]),
                     c1 = bt(d0[at + 1], d1[at + 1], d2[at + 1], d3[at + 1]),
                     c2 = bt(d0[at + 2], d1[at + 2], d2[at + 2], d3[at + 2]),
                     c3 = bt(d0[at + 3], d1[at + 3], d2[at + 3], d3[at + 3]);
          store_row(out, 0, xi_stride, tx, bt(c0.v0, c1.v0, c2.v0, c3.v0));
          store_row(out, 1, xi_stride, tx, bt(c0.v1, c1.v1, c2.v1, c3.v1));
          store_row(out, 2, xi_stride, tx, bt(c0.v2, c1.v2, c2.v2, c3.v2));
          store_row(out, 3, xi_stride, tx, bt(c0.v3, c1.v3, c2.v3, c3.v3));
        }
      }
    }
}

// y's 2x2 blocks from M[xi, k, j]: A^T m A (+ bias), A^T = [1 1 1 0; 0 1 -1 -1]. A tile row's two
// output rows go straight into y, or through `rows` (2 x 2 * cols) when the width is odd or the
// second row is past the bottom.
void transform_outputs(const Winograd3x3& s, const Chunk& ck, const float* m, const float* bias, float* y,
                       float* rows) {
  const int64_t K = s.out_channels, OH = s.out_height(), OW = s.out_width(), ld = ck.tiles(), xi_stride = K * ld;
  for (int64_t n = ck.n0; n < ck.n1; ++n)
    for (int64_t k = 0; k < K; ++k) {
      const float b = bias ? bias[k] : 0.0f;
      float* plane = y + (n * K + k) * OH * OW;
      for (int64_t ty = ck.ty0; ty < ck.ty1; ++ty) {
        const int64_t oh = 2 * ty;
        const bool direct = OW % 2 == 0 && oh + 1 < OH;
        const float* __restrict in = m + k * ld + ck.j(n, ty);
        float* __restrict r0 = direct ? plane + oh * OW : rows;
        float* __restrict r1 = direct ? plane + (oh + 1) * OW : rows + 2 * ck.cols;
#pragma GCC ivdep  // as in transform_inputs
        for (int64_t tx = 0; tx < ck.cols; ++tx) {
          auto mv = [&](int xi) { return in[xi * xi_stride + tx]; };
          // A^T applied to each column of m, then to each of the two rows that gives.
          const Pair u0 = at(mv(0), mv(4), mv(8), mv(12)), u1 = at(mv(1), mv(5), mv(9), mv(13)),
                     u2 = at(mv(2), mv(6), mv(10), mv(14)), u3 = at(mv(3), mv(7), mv(11), mv(15));
          const Pair y0 = at(u0.v0, u1.v0, u2.v0, u3.v0), y1 = at(u0.v1, u1.v1, u2.v1, u3.v1);
          r0[2 * tx] = y0.v0 + b;
          r0[2 * tx + 1] = y0.v1 + b;
          r1[2 * tx] = y1.v0 + b;
          r1[2 * tx + 1] = y1.v1 + b;
        }
        if (direct) continue;
        std::copy_n(r0, OW, plane + oh * OW);
        if (oh + 1 < OH) std::copy_n(r1, OW, plane + (oh + 1) * OW);
      }
    }
}

}  // namespace

bool winograd_pays(const Winograd3x3& s) {
  return s.in_channels >= 16 && s.out_channels >= 16 && s.pad_h >= 0 && s.pad_h <= 2 && s.pad_w >= 0 &&
         s.pad_w <= 2 && s.out_height() >= 4 && s.out_width() >= 4;
}

void conv3x3_winograd(const Winograd3x3& s, const float* x, const float* w, const float* bias, float* y,
                      bool parallel) {
  const int64_t C = s.in_channels, K = s.out_channels;
  const Tiling tl{(s.out_height() + 1) / 2, (s.out_width() + 1) / 2};
  if (s.batch == 0 || tl.rows == 0 || tl.cols == 0) return;
  Scratch<float> u(16 * K * C);
  transform_filters(w, K, C, u.get());
  const int64_t target = std::clamp<int64_t>(kChunkBytes / (16 * (C + K) * int64_t{sizeof(float)}), 32, 1024);
  const Chunking chunks(tl, s.batch, target);
  const int64_t most = chunks.images_per * chunks.rows_per * tl.cols;
  auto run = [&](int64_t lo, int64_t hi) {
    Scratch<float> v(16 * C * most), m(16 * K * most), pad((2 * chunks.rows_per + 2) * (2 * tl.cols + 2)),
        rows(4 * tl.cols);
    for (int64_t q = lo; q < hi; ++q) {
      const Chunk ck = chunks[q];
      const int64_t ld = ck.tiles();
      transform_inputs(s, ck, x, v.get(), pad.get());
      for (int64_t xi = 0; xi < 16; ++xi)
        gemm_float<float>({u.get() + xi * K * C, K, C, C, 1}, {v.get() + xi * C * ld, C, ld, ld, 1},
                          {m.get() + xi * K * ld, K, ld, ld, 1}, 0.0f, 1.0f, false);
      transform_outputs(s, ck, m.get(), bias, y, rows.get());
    }
  };
  if (parallel && chunks.count() > 1) {
    parallel_for(chunks.count(), 1, run);
  } else {
    run(0, chunks.count());
  }
}

}  // namespace wick::cpu
