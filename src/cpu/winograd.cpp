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
#include "wick/core/parallel.h"

namespace wick::cpu {
namespace {

// V and M of one chunk together stay near this size (they are written, multiplied and read back).
constexpr int64_t kChunkBytes = int64_t{1} << 20;

// Tiles per chunk: as many as keep V and M near kChunkBytes, but at least K C / (K + C). Each
// chunk's 16 GEMMs pack all of U (16 K C values) again, so a chunk of T tiles moves 16 K C values
// for U and 16 (K + C) T for V and M: with fewer tiles U's packing outweighs what staying in L2
// saves (AlexNet's 384 -> 384 layer at 12x12 made chunks of 18 tiles and ran 2x slower).
int64_t chunk_target(int64_t C, int64_t K) {
  const int64_t fits = kChunkBytes / (16 * (C + K) * int64_t{sizeof(float)});
  return std::clamp<int64_t>(std::max(fits, K * C / (K + C)), 32, 1024);
}

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
    const int64_t fit = std::max<int64_t>(1, target / t.cols);
    const int64_t bands = per_image <= target ? 1 : (t.rows + fit - 1) / fit;
    rows_per = (t.rows + bands - 1) / bands;
    per_image_chunks = (t.rows + rows_per - 1) / rows_per;
  }
  int64_t count() const {
    return images_per > 1 ? (batch + images_per - 1) / images_per : batch * per_image_chunks;
  }
  Chunk operator[](int64_t q) const {
    if (images_per > 1)
      return {q * images_per, std::min(batch, (q + 1) * images_per), 0, tl.rows, tl.cols};
    const int64_t n = q / per_image_chunks, ty0 = q % per_image_chunks * rows_per;
    return {n, n + 1, ty0, std::min(tl.rows, ty0 + rows_per), tl.cols};
  }
};

// B^T (a0 a1 a2 a3)^T and A^T (a0 a1 a2 a3)^T, on named values rather than small arrays: GCC
// leaves such arrays in memory and then does not vectorise the tile loop.
struct Quad {
  float v0, v1, v2, v3;
};
inline Quad bt(float a0, float a1, float a2, float a3) {
  return {a0 - a2, a1 + a2, a2 - a1, a1 - a3};
}
struct Pair {
  float v0, v1;
};
inline Pair at(float a0, float a1, float a2, float a3) { return {a0 + a1 + a2, a1 - a2 - a3}; }

// Tiles per step of transform_inputs' tile loop. A row of tiles is short (12 tiles on a 24-wide
// map, 3 on a 6-wide one) and GCC runs whatever is left past its vector width one tile at a time:
// with AVX-512 (16 lanes) nearly every row went that way, and that scalar tail was a fifth of a
// DenseNet training step. Each step now covers kTileStep tiles, past the row's end too: the
// extra tiles land on tiles of later rows of the same channel, which are written after them.
// Where they would run past the channel's tiles, the step goes through a small buffer instead.
constexpr int64_t kTileStep = 8;
inline int64_t round_up_tiles(int64_t cols) {
  return (cols + kTileStep - 1) / kTileStep * kTileStep;
}
// Row pitch of transform_inputs' even/odd buffers: a step reads columns up to its last tile + 1.
inline int64_t pad_pitch(int64_t cols) { return round_up_tiles(cols) + 1; }
inline int64_t pad_floats(const Chunking& chunks) {
  return 2 * (2 * chunks.rows_per + 2) * pad_pitch(chunks.tl.cols);
}

// Row r of a transformed patch: V[4 r + q, c, tx] for q = 0..3 (out is V at channel c).
inline void store_row(float* __restrict out, int r, int64_t xi_stride, int64_t tx, const Quad& q) {
  out[(r * 4 + 0) * xi_stride + tx] = q.v0;
  out[(r * 4 + 1) * xi_stride + tx] = q.v1;
  out[(r * 4 + 2) * xi_stride + tx] = q.v2;
  out[(r * 4 + 3) * xi_stride + tx] = q.v3;
}

// V[xi, c, j] for the chunk's tiles: B^T d B of each 4x4 patch d, B^T = [1 0 -1 0; 0 1 1 0;
// 0 -1 1 0; 0 1 0 -1]. `pad` receives the input rows the chunk reads of one (sample, channel),
// zero-padded to 2 * cols + 2 wide (2 * (ty1 - ty0) + 2 rows), split into the even columns and
// the odd ones: tile tx's patch row is then even[tx], odd[tx], even[tx + 1], odd[tx + 1], plain
// vector loads across 8 tiles instead of stride-2 gathers.
void transform_inputs(const Winograd3x3& s, const Chunk& ck, const float* x, float* v, float* pad) {
  const int64_t C = s.in_channels, H = s.height, W = s.width, ld = ck.tiles(), xi_stride = C * ld;
  // half: the row pitch; span: the columns a row has (cols + 1, the rest stays zero).
  const int64_t half = pad_pitch(ck.cols), span = ck.cols + 1, pad_rows = 2 * (ck.ty1 - ck.ty0) + 2;
  float* const even = pad;
  float* const odd = pad + pad_rows * half;
  // The padding is the same cells for every plane: zeroed once, then only the image's rows are
  // written. Padded column p holds image column p - pad_w.
  std::fill(pad, pad + 2 * pad_rows * half, 0.0f);
  const int64_t r0 = std::max<int64_t>(0, s.pad_h - 2 * ck.ty0),
                r1 = std::min(pad_rows, H + s.pad_h - 2 * ck.ty0);
  const int64_t e0 = (s.pad_w + 1) / 2, e1 = std::min(span, (W - 1 + s.pad_w) / 2 + 1);
  const int64_t o0 = s.pad_w / 2, o1 = std::min(span, (W - 2 + s.pad_w) / 2 + 1);
  for (int64_t n = ck.n0; n < ck.n1; ++n)
    for (int64_t c = 0; c < C; ++c) {
      const float* plane = x + (n * C + c) * H * W;
      // A band reads part of each plane, a jump the hardware prefetcher does not follow: the
      // loads below were most of this function's time. Ask for the next plane's rows now.
      if (c + 1 < C || n + 1 < ck.n1)
        for (int64_t r = r0; r < r1; ++r)
          for (int64_t i = 0; i < W; i += 16)
            __builtin_prefetch(plane + H * W + (2 * ck.ty0 - s.pad_h + r) * W + i);
      for (int64_t r = r0; r < r1; ++r) {
        const float* __restrict src = plane + (2 * ck.ty0 - s.pad_h + r) * W;  // an image row
        float* __restrict ev = even + r * half;
        float* __restrict od = odd + r * half;
        for (int64_t k = e0; k < e1; ++k) ev[k] = src[2 * k - s.pad_w];
        for (int64_t k = o0; k < o1; ++k) od[k] = src[2 * k + 1 - s.pad_w];
      }
      for (int64_t ty = ck.ty0; ty < ck.ty1; ++ty) {
        const int64_t r = 2 * (ty - ck.ty0);
        const float* __restrict e[4] = {even + r * half, even + (r + 1) * half,
                                        even + (r + 2) * half, even + (r + 3) * half};
        const float* __restrict o[4] = {odd + r * half, odd + (r + 1) * half, odd + (r + 2) * half,
                                        odd + (r + 3) * half};
        float* const out = v + c * ld + ck.j(n, ty);
        for (int64_t t0 = 0; t0 < ck.cols; t0 += kTileStep) {
          const bool whole = ck.j(n, ty) + t0 + kTileStep <= ld;
          alignas(64) float tail[16 * kTileStep];
          float* __restrict dst = whole ? out + t0 : tail;
          const int64_t ds = whole ? xi_stride : kTileStep;
          // Tiles write disjoint cells of buffers their loads do not touch; unsaid, GCC would
          // need a run-time overlap test for each pair of the 16 streams and gives up. Unrolled
          // first (its default for a fixed count of 8), the loop would not be vectorised.
#pragma GCC unroll 1
#pragma GCC ivdep
          for (int64_t u = 0; u < kTileStep; ++u) {
            const int64_t tx = t0 + u;
            // Columns of B^T d, then B^T applied to each of their rows gives row r of B^T d B.
            const Quad c0 = bt(e[0][tx], e[1][tx], e[2][tx], e[3][tx]),
                       c1 = bt(o[0][tx], o[1][tx], o[2][tx], o[3][tx]),
                       c2 = bt(e[0][tx + 1], e[1][tx + 1], e[2][tx + 1], e[3][tx + 1]),
                       c3 = bt(o[0][tx + 1], o[1][tx + 1], o[2][tx + 1], o[3][tx + 1]);
            store_row(dst, 0, ds, u, bt(c0.v0, c1.v0, c2.v0, c3.v0));
            store_row(dst, 1, ds, u, bt(c0.v1, c1.v1, c2.v1, c3.v1));
            store_row(dst, 2, ds, u, bt(c0.v2, c1.v2, c2.v2, c3.v2));
            store_row(dst, 3, ds, u, bt(c0.v3, c1.v3, c2.v3, c3.v3));
          }
          if (!whole)
            for (int64_t xi = 0; xi < 16; ++xi)
              std::copy_n(tail + xi * kTileStep, ck.cols - t0, out + xi * xi_stride + t0);
        }
      }
    }
}

// y's 2x2 blocks from M[xi, k, j]: A^T m A (+ bias), A^T = [1 1 1 0; 0 1 -1 -1]. A tile row's two
// output rows go straight into y, or through `rows` (2 x 2 * cols) when the width is odd or the
// second row is past the bottom.
void transform_outputs(const Winograd3x3& s, const Chunk& ck, const float* m, const float* bias,
                       float* y, float* rows) {
  const int64_t K = s.out_channels, OH = s.out_height(), OW = s.out_width(), ld = ck.tiles(),
                xi_stride = K * ld;
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

// Yg[xi, k, j] = A g A^T of each 2x2 tile g of the output gradient (zero past the image's edge),
// the adjoint of transform_outputs. `rows` holds a tile row's two gradient rows when they are not
// both whole in gy.
void transform_output_grads(const Winograd3x3& s, const Chunk& ck, const float* gy, float* yg,
                            float* rows) {
  const int64_t K = s.out_channels, OH = s.out_height(), OW = s.out_width(), ld = ck.tiles(),
                xi_stride = K * ld;
  for (int64_t n = ck.n0; n < ck.n1; ++n)
    for (int64_t k = 0; k < K; ++k) {
      const float* plane = gy + (n * K + k) * OH * OW;
      for (int64_t ty = ck.ty0; ty < ck.ty1; ++ty) {
        const int64_t oh = 2 * ty;
        const float* g0 = plane + oh * OW;
        const float* g1 = g0 + OW;
        if (OW % 2 != 0 || oh + 1 >= OH) {
          std::fill(rows, rows + 4 * ck.cols, 0.0f);
          std::copy_n(g0, OW, rows);
          if (oh + 1 < OH) std::copy_n(g1, OW, rows + 2 * ck.cols);
          g0 = rows;
          g1 = rows + 2 * ck.cols;
        }
        const float* __restrict r0 = g0;
        const float* __restrict r1 = g1;
        float* __restrict out = yg + k * ld + ck.j(n, ty);
#pragma GCC ivdep  // as in transform_inputs
        for (int64_t tx = 0; tx < ck.cols; ++tx) {
          const float a = r0[2 * tx], b = r0[2 * tx + 1], c = r1[2 * tx], d = r1[2 * tx + 1];
          // A g (rows (a b), (a+c b+d), (a-c b-d), (-c -d)), then each row (p0 p1) times A^T.
          const float p[4][2] = {{a, b}, {a + c, b + d}, {a - c, b - d}, {-c, -d}};
#pragma GCC unroll 4
          for (int r = 0; r < 4; ++r)
            store_row(out, r, xi_stride, tx,
                      Quad{p[r][0], p[r][0] + p[r][1], p[r][0] - p[r][1], -p[r][1]});
        }
      }
    }
}

// gw[k, c] = G^T dU[k, c] G for each 4x4 dU (G^T = [1 .5 .5 0; 0 .5 -.5 0; 0 .5 .5 1]).
void filter_grads(const float* du, int64_t K, int64_t C, float* gw) {
  const int64_t kc = K * C;
  for (int64_t i = 0; i < kc; ++i) {
    float t[3][4];  // G^T dU
    for (int q = 0; q < 4; ++q) {
      const float m0 = du[(0 + q) * kc + i], m1 = du[(4 + q) * kc + i], m2 = du[(8 + q) * kc + i],
                  m3 = du[(12 + q) * kc + i];
      t[0][q] = m0 + 0.5f * (m1 + m2);
      t[1][q] = 0.5f * (m1 - m2);
      t[2][q] = 0.5f * (m1 + m2) + m3;
    }
    float* g = gw + i * 9;
    for (int r = 0; r < 3; ++r) {
      g[r * 3 + 0] = t[r][0] + 0.5f * (t[r][1] + t[r][2]);
      g[r * 3 + 1] = 0.5f * (t[r][1] - t[r][2]);
      g[r * 3 + 2] = 0.5f * (t[r][1] + t[r][2]) + t[r][3];
    }
  }
}

}  // namespace

bool winograd_pays(const Winograd3x3& s) {
  return s.in_channels >= 8 && s.out_channels >= 8 && s.pad_h >= 0 && s.pad_h <= 2 &&
         s.pad_w >= 0 && s.pad_w <= 2 && s.out_height() >= 4 && s.out_width() >= 4;
}

void conv3x3_winograd(const Winograd3x3& s, const float* x, const float* w, const float* bias,
                      float* y, bool parallel) {
  const int64_t C = s.in_channels, K = s.out_channels;
  const Tiling tl{(s.out_height() + 1) / 2, (s.out_width() + 1) / 2};
  if (s.batch == 0 || tl.rows == 0 || tl.cols == 0) return;
  Scratch<float> u(16 * K * C);
  transform_filters(w, K, C, u.get());
  // The 16 transformed filter matrices packed once for every chunk's GEMMs: each chunk's GEMMs
  // repacked them, which for ResNet-18's deep layers (4 MB of U at 256 channels, for a few dozen
  // tiles a chunk) made the packing 7% of a training step.
  const int64_t each = has_sgemm_packed() ? packed_a_floats(K, C) : 0;
  Scratch<float> packed(16 * each);
  std::vector<PackedA> u_packed;
  for (int64_t xi = 0; each > 0 && xi < 16; ++xi)
    u_packed.push_back(pack_a_once({u.get() + xi * K * C, K, C, C, 1}, packed.get() + xi * each));
  const Chunking chunks(tl, s.batch, chunk_target(C, K));
  const int64_t most = chunks.images_per * chunks.rows_per * tl.cols;
  auto run = [&](int64_t lo, int64_t hi) {
    Scratch<float> v(16 * C * most), m(16 * K * most), pad(pad_floats(chunks)), rows(4 * tl.cols);
    for (int64_t q = lo; q < hi; ++q) {
      const Chunk ck = chunks[q];
      const int64_t ld = ck.tiles();
      transform_inputs(s, ck, x, v.get(), pad.get());
      for (int64_t xi = 0; xi < 16; ++xi) {
        const MatrixRef<float> vx{v.get() + xi * C * ld, C, ld, ld, 1},
            mx{m.get() + xi * K * ld, K, ld, ld, 1};
        if (u_packed.empty())
          gemm_float<float>({u.get() + xi * K * C, K, C, C, 1}, vx, mx, 0.0f, 1.0f, false);
        else
          sgemm_packed(u_packed[static_cast<size_t>(xi)], vx, mx, 0.0f, 1.0f, false);
      }
      transform_outputs(s, ck, m.get(), bias, y, rows.get());
    }
  };
  if (parallel && chunks.count() > 1) {
    parallel_for(chunks.count(), 1, run);
  } else {
    run(0, chunks.count());
  }
}

void conv3x3_winograd_weight_grad(const Winograd3x3& s, const float* x, const float* gy, float* gw,
                                  bool parallel) {
  const int64_t C = s.in_channels, K = s.out_channels, w_elems = 16 * K * C;
  const Tiling tl{(s.out_height() + 1) / 2, (s.out_width() + 1) / 2};
  if (s.batch == 0 || tl.rows == 0 || tl.cols == 0) {
    std::fill(gw, gw + K * C * 9, 0.0f);
    return;
  }
  const Chunking chunks(tl, s.batch, chunk_target(C, K));
  const int64_t most = chunks.images_per * chunks.rows_per * tl.cols;
  const int64_t parts = parallel ? std::clamp<int64_t>(get_num_threads(), 1, chunks.count()) : 1;
  Scratch<float> du(parts * w_elems);  // part p's sum of dU at du + p * w_elems
  auto run_part = [&](int64_t p) {
    Scratch<float> v(16 * C * most), yg(16 * K * most), pad(pad_floats(chunks)), rows(4 * tl.cols);
    float* acc = du.get() + p * w_elems;
    const int64_t lo = chunks.count() * p / parts, hi = chunks.count() * (p + 1) / parts;
    if (lo == hi) std::fill(acc, acc + w_elems, 0.0f);
    for (int64_t q = lo; q < hi; ++q) {
      const Chunk ck = chunks[q];
      const int64_t ld = ck.tiles();
      transform_inputs(s, ck, x, v.get(), pad.get());
      transform_output_grads(s, ck, gy, yg.get(), rows.get());
      // dU_xi (K, C) (+)= Yg_xi (K, tiles) @ V_xi^T (tiles, C)
      for (int64_t xi = 0; xi < 16; ++xi)
        gemm_float<float>({yg.get() + xi * K * ld, K, ld, ld, 1},
                          {v.get() + xi * C * ld, ld, C, 1, ld}, {acc + xi * K * C, K, C, C, 1},
                          q == lo ? 0.0f : 1.0f, 1.0f, false);
    }
  };
  if (parts > 1) {
    parallel_for(parts, 1, [&](int64_t lo, int64_t hi) {
      for (int64_t p = lo; p < hi; ++p) run_part(p);
    });
    for (int64_t p = 1; p < parts; ++p) {
      const float* src = du.get() + p * w_elems;
      for (int64_t i = 0; i < w_elems; ++i) du.get()[i] += src[i];
    }
  } else {
    run_part(0);
  }
  filter_grads(du.get(), K, C, gw);
}

}  // namespace wick::cpu
