// conv_input_grad_by_phases (conv_input_grad_phases.h): per unit of samples and group, the output
// gradient padded into gy_pad, then per input phase one packed GEMM into `out`, and gx's rows
// written from those. A unit's samples sit side by side in each line of gy_pad
// ([o][row][sample][column]), so a window row is still one run and a small image's GEMM is still
// wide enough.
#include "conv_input_grad_phases.h"

#include <algorithm>
#include <vector>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

#include "allocator.h"
#include "gemm.h"
#include "thread_pool.h"
#include "wick/core/parallel.h"

namespace wick::cpu {
namespace {

// Phase a of one spatial dim: input positions i * s + a (`extent` of them) receive from kernel
// offsets rho + t * s, t < taps, at output position i + q - t.
struct DimPhase {
  int64_t rho = 0, taps = 0, q = 0, extent = 0;
};

// One dim's phases, and the output gradient's padding along it: pad_lo zeros before, `padded`
// positions in all, so that every position a phase's taps read exists.
struct DimPlan {
  std::vector<DimPhase> phases;
  int64_t pad_lo = 0, padded = 0;
};

DimPlan plan_dim(int64_t in, int64_t out, int64_t k, int64_t s, int64_t p) {
  DimPlan d;
  int64_t lo = 0, hi = out;  // the output positions read: [lo, hi)
  for (int64_t a = 0; a < s; ++a) {
    DimPhase ph;
    ph.rho = (a + p) % s;
    ph.q = (a + p) / s;
    ph.taps = ph.rho < k ? (k - 1 - ph.rho) / s + 1 : 0;
    ph.extent = a < in ? (in - 1 - a) / s + 1 : 0;
    if (ph.taps > 0 && ph.extent > 0) {
      lo = std::min(lo, ph.q - (ph.taps - 1));
      hi = std::max(hi, ph.extent + ph.q);
    }
    d.phases.push_back(ph);
  }
  d.pad_lo = -lo;
  d.padded = hi - lo;
  return d;
}

// The GEMM of input phase (a, b): gx phase (C, rows * samples * padded width) = A (C, O * taps) @
// B, B's row (o, t1, t2) the run of gy_pad from at[row]. Output lines are as wide as gy_pad's
// lines; the values past the phase's width are thrown away.
struct PhaseGemm {
  int64_t a = 0, b = 0;
  DimPhase rows, cols;
  int64_t depth = 0, width = 0;  // O * taps, and the GEMM's columns for a whole unit
  std::vector<int64_t> at;
  std::vector<PackedA> packed;  // per group
};

// to[0, w) = f0[0], f1[0], f0[1], f1[1], ...: a row of gx from its two phases across. On AVX-512
// a row of up to 32 values is two permutes of two masked loads (GCC's loop ran the 24-value rows
// of a stride-2 layer one value at a time: 12% of its input gradient).
inline void interleave(const float* f0, const float* f1, float* to, int64_t w) {
  int64_t x = 0;
#if defined(__AVX512F__)
  const __m512i lo_idx = _mm512_set_epi32(23, 7, 22, 6, 21, 5, 20, 4, 19, 3, 18, 2, 17, 1, 16, 0);
  const __m512i hi_idx =
      _mm512_set_epi32(31, 15, 30, 14, 29, 13, 28, 12, 27, 11, 26, 10, 25, 9, 24, 8);
  for (; x < w; x += 32, f0 += 16, f1 += 16, to += 32) {
    const int64_t n = std::min<int64_t>(w - x, 32);  // values of `to` this step
    const auto mask = [](int64_t k) {
      return static_cast<__mmask16>(k >= 16 ? 0xFFFF : k <= 0 ? 0 : (1u << k) - 1);
    };
    const __m512 a = _mm512_maskz_loadu_ps(mask((n + 1) / 2), f0),
                 b = _mm512_maskz_loadu_ps(mask(n / 2), f1);
    _mm512_mask_storeu_ps(to, mask(n), _mm512_permutex2var_ps(a, lo_idx, b));
    _mm512_mask_storeu_ps(to + 16, mask(n - 16), _mm512_permutex2var_ps(a, hi_idx, b));
  }
#else
  for (; 2 * x + 1 < w; ++x) to[2 * x] = f0[x], to[2 * x + 1] = f1[x];
  if (2 * x < w) to[2 * x] = f0[x];
#endif
}

// Samples per unit: enough for GEMMs at least this wide. (256, as conv.cpp's units, put two
// samples of a 24x24 input in a unit: 12.5 -> 13.1 ms for 128 -> 128 channels.)
constexpr int64_t kMinGemmCols = 128;

}  // namespace

bool input_grad_by_phases_applies(const ConvGeom& g, int64_t out_channels_per_group) {
  return has_sgemm_packed() && phase_layout(g).has_value() && g.channels >= 8 &&
         out_channels_per_group >= 8;
}

void conv_input_grad_by_phases(const ConvGeom& g, int64_t batch, int64_t groups, int64_t og,
                               const float* gy, const float* w, float* gx, bool parallel) {
  const int64_t C = g.channels, H = g.in[1], W = g.in[2], OH = g.out[1], OW = g.out[2];
  const int64_t k1 = g.kernel[1], k2 = g.kernel[2], s1 = g.stride[1], s2 = g.stride[2];
  const DimPlan d1 = plan_dim(H, OH, k1, s1, g.padding[1]),
                d2 = plan_dim(W, OW, k2, s2, g.padding[2]);
  const int64_t D1 = d1.padded, D2 = d2.padded;
  int64_t max_rows = 1;
  for (const DimPhase& ph : d1.phases) max_rows = std::max(max_rows, ph.extent);
  const int64_t per = std::clamp<int64_t>((kMinGemmCols + max_rows * D2 - 1) / (max_rows * D2), 1,
                                          std::max<int64_t>(batch, 1));
  const int64_t line = per * D2, plane = D1 * line;  // a row of gy_pad: the unit's samples
  // gy_pad of one unit and group, plus one sample's line of slack: the last run's thrown-away
  // values read up to D2 past the last plane.
  const int64_t pad_floats = og * plane + D2;

  std::vector<PhaseGemm> gemms;
  int64_t max_width = 0, packed_floats = 0;
  for (int64_t a = 0; a < s1; ++a)
    for (int64_t b = 0; b < s2; ++b) {
      PhaseGemm pg;
      pg.a = a, pg.b = b;
      pg.rows = d1.phases[static_cast<size_t>(a)];
      pg.cols = d2.phases[static_cast<size_t>(b)];
      pg.depth = og * pg.rows.taps * pg.cols.taps;
      pg.width = pg.rows.extent * line;
      for (int64_t o = 0; o < og; ++o)
        for (int64_t t1 = 0; t1 < pg.rows.taps; ++t1)
          for (int64_t t2 = 0; t2 < pg.cols.taps; ++t2)
            pg.at.push_back(o * plane + (pg.rows.q - t1 + d1.pad_lo) * line + pg.cols.q - t2 +
                            d2.pad_lo);
      if (pg.depth > 0 && pg.width > 0) {
        max_width = std::max(max_width, pg.width);
        packed_floats += groups * packed_a_floats(C, pg.depth);
      }
      gemms.push_back(std::move(pg));
    }

  // Each phase's taps of w^T per group, (C, O * taps) row-major, packed once for every sample.
  Scratch<float> packed(packed_floats);
  {
    float* next = packed.get();
    int64_t max_depth = 0;
    for (const PhaseGemm& pg : gemms) max_depth = std::max(max_depth, pg.depth);
    Scratch<float> taps(C * max_depth);
    for (PhaseGemm& pg : gemms) {
      if (pg.depth == 0 || pg.width == 0) continue;
      for (int64_t gr = 0; gr < groups; ++gr) {
        const float* wg = w + gr * og * C * k1 * k2;
        float* t = taps.get();
        for (int64_t c = 0; c < C; ++c)
          for (int64_t o = 0; o < og; ++o)
            for (int64_t t1 = 0; t1 < pg.rows.taps; ++t1)
              for (int64_t t2 = 0; t2 < pg.cols.taps; ++t2)
                *t++ = wg[((o * C + c) * k1 + pg.rows.rho + t1 * s1) * k2 + pg.cols.rho + t2 * s2];
        pg.packed.push_back(pack_a_once({taps.get(), C, pg.depth, pg.depth, 1}, next));
        next += packed_a_floats(C, pg.depth);
      }
    }
  }

  // Samples [n0, n0 + cnt) of group gr, with this thread's buffers.
  auto run = [&](int64_t n0, int64_t cnt, int64_t gr, float* gy_pad, float* out, bool par) {
    std::fill_n(gy_pad, pad_floats, 0.0f);
    for (int64_t s = 0; s < cnt; ++s) {
      const float* gys = gy + ((n0 + s) * groups + gr) * og * OH * OW;
      for (int64_t o = 0; o < og; ++o)
        for (int64_t i = 0; i < OH; ++i)
          std::copy_n(gys + (o * OH + i) * OW, OW,
                      gy_pad + o * plane + (i + d1.pad_lo) * line + s * D2 + d2.pad_lo);
    }
    // The phases of input rows a, a + s1, ...: their s2 GEMMs, then each of those rows whole,
    // interleaved from the s2 results (phase by phase, every write was a lone scalar store into
    // a line the other phases wrote too: 6% of a stride-2 layer's forward and backward).
    for (int64_t a = 0; a < s1; ++a) {
      const int64_t E1 = d1.phases[static_cast<size_t>(a)].extent;
      if (E1 == 0) continue;
      // Phase b's results, or null where no kernel offset reaches the phase (its gradient is 0).
      auto from = [&](int64_t b) -> const float* {
        const PhaseGemm& pg = gemms[static_cast<size_t>(a * s2 + b)];
        return pg.depth == 0 || pg.cols.extent == 0 ? nullptr : out + b * C * max_width;
      };
      for (int64_t b = 0; b < s2; ++b) {
        const PhaseGemm& pg = gemms[static_cast<size_t>(a * s2 + b)];
        if (!from(b)) continue;
        sgemm_packed(pg.packed[static_cast<size_t>(gr)],
                     LineMatrix{gy_pad, pg.at.data(), pg.depth, pg.width, false},
                     {out + b * C * max_width, C, pg.width, pg.width, 1}, 0.0f, 1.0f, par);
      }
      const int64_t width = E1 * line;
      for (int64_t s = 0; s < cnt; ++s) {
        float* gxs = gx + ((n0 + s) * groups + gr) * C * H * W;
        for (int64_t c = 0; c < C; ++c)
          for (int64_t i = 0; i < E1; ++i) {
            float* to = gxs + (c * H + i * s1 + a) * W;
            const int64_t at = c * width + i * line + s * D2;
            if (s2 == 2 && from(0) && from(1)) {
              interleave(from(0) + at, from(1) + at, to, W);
            } else {
              for (int64_t xw = 0; xw < W; ++xw) {
                const float* f = from(xw % s2);
                to[xw] = f ? f[at + xw / s2] : 0.0f;
              }
            }
          }
      }
    }
  };

  const int64_t units = (batch + per - 1) / per, threads = get_num_threads();
  auto unit = [&](int64_t u, float* gy_pad, float* out, bool par) {
    const int64_t n0 = u * per, cnt = std::min(per, batch - n0);
    for (int64_t gr = 0; gr < groups; ++gr) run(n0, cnt, gr, gy_pad, out, par);
  };
  if (parallel && threads > 1 && units >= threads) {
    parallel_for(units, 1, [&](int64_t lo, int64_t hi) {
      Scratch<float> gy_pad(pad_floats), out(s2 * C * max_width);
      for (int64_t u = lo; u < hi; ++u) unit(u, gy_pad.get(), out.get(), false);
    });
  } else {
    Scratch<float> gy_pad(pad_floats), out(s2 * C * max_width);
    for (int64_t u = 0; u < units; ++u) unit(u, gy_pad.get(), out.get(), parallel);
  }
}

}  // namespace wick::cpu
