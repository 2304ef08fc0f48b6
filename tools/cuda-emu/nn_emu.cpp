// batch_norm, layer_norm, dropout, nll_loss, ctc_loss and optim_step kernels run with emulated blocks
// (shim_threads.h) against the CPU backend, float64 (dropout: float32, bit-exact). Driven by run.sh.
#include "shim_threads.h"
#include <cstdio>
#include <optional>
#include "wick/wick.h"
#include "wick/backend/backend.h"
namespace emu {
using namespace wick;
#include "bn.inc"
#include "ln.inc"
#include "dropout.inc"
#include "nll.inc"
#include "ctc.inc"
#include "optim.inc"
}
using namespace wick;
int fails = 0;
void cmp(const Tensor& a, const Tensor& b, const std::string& what, double tol = 1e-10) {
  bool ok = a.sizes().vec() == b.sizes().vec() && allclose(a.to(kFloat64), b.to(kFloat64), tol, tol, true);
  if (!ok) { ++fails; std::printf("FAIL %s\n", what.c_str()); }
}
template <class T> T* P(const Tensor& t) { return t.defined() ? t.data_ptr<T>() : nullptr; }
Backend& cpu() { return backend_for(Device(kCPU)); }
Tensor E(Shape s, DType d = kFloat64) { return empty(s, {.dtype = d}); }

void test_bn(bool affine, bool training, bool running, int64_t chunks) {
  const int64_t n = 3, c = 4, s = 5;
  Tensor x = randn({n, c, s}, {.dtype = kFloat64});
  Tensor w = affine ? randn({c}, {.dtype = kFloat64}) : Tensor(), b = affine ? randn({c}, {.dtype = kFloat64}) : Tensor();
  Tensor rm1 = running ? randn({c}, {.dtype = kFloat64}) : Tensor(), rv1 = running ? rand({c}, {.dtype = kFloat64}) + 0.5 : Tensor();
  Tensor rm2 = running ? rm1.clone() : Tensor(), rv2 = running ? rv1.clone() : Tensor();
  Tensor o1 = E({n, c, s}), o2 = E({n, c, s}), m1 = E({c}), m2 = E({c}), i1 = E({c}), i2 = E({c});
  cpu().batch_norm(o1, m1, i1, x, w, b, rm1, rv1, training, 0.1, 1e-5);
  emu::BnDims d{n, c, s, chunks};
  std::vector<double> part(2 * c * chunks);
  if (training) launch({unsigned(c), unsigned(chunks)}, {64}, [&] { emu::bn_stats_partial_kernel<double>(part.data(), P<double>(x), d); });
  launch({1}, {3}, [&] { emu::bn_stats_final_kernel<double>(P<double>(m2), P<double>(i2), part.data(), P<double>(x), P<double>(rm2), P<double>(rv2), d, training, 0.1, 1e-5); });
  launch({3}, {32}, [&] { emu::bn_apply_kernel<double>(P<double>(o2), P<double>(x), P<double>(m2), P<double>(i2), P<double>(w), P<double>(b), d, x.numel()); });
  cmp(o2, o1, "bn out"); cmp(m2, m1, "bn mean"); cmp(i2, i1, "bn invstd");
  if (running) { cmp(rm2, rm1, "bn rm"); cmp(rv2, rv1, "bn rv"); }
  Tensor dy = randn({n, c, s}, {.dtype = kFloat64});
  Tensor dx1 = E({n, c, s}), dx2 = E({n, c, s}), dw1 = E({c}), dw2 = E({c}), db1 = E({c}), db2 = E({c});
  cpu().batch_norm_backward(dx1, dw1, db1, dy, x, w, m1, i1, training);
  std::vector<double> sums(2 * c);
  launch({unsigned(c), unsigned(chunks)}, {64}, [&] { emu::bn_backward_partial_kernel<double>(part.data(), P<double>(dy), P<double>(x), P<double>(m2), d); });
  launch({1}, {3}, [&] { emu::bn_backward_final_kernel<double>(sums.data(), P<double>(dw2), P<double>(db2), part.data(), P<double>(i2), d); });
  launch({2}, {16}, [&] { emu::bn_backward_dx_kernel<double>(P<double>(dx2), P<double>(dy), P<double>(x), P<double>(m2), P<double>(i2), P<double>(w), sums.data(), d, training, x.numel()); });
  cmp(dx2, dx1, "bn dx"); cmp(dw2, dw1, "bn dw"); cmp(db2, db1, "bn db");
}

void test_ln(int64_t m, int64_t n, bool affine) {
  Tensor x = randn({m, n}, {.dtype = kFloat64});
  Tensor w = affine ? randn({n}, {.dtype = kFloat64}) : Tensor(), b = affine ? randn({n}, {.dtype = kFloat64}) : Tensor();
  Tensor o1 = E({m, n}), o2 = E({m, n}), m1 = E({m}), m2 = E({m}), r1 = E({m}), r2 = E({m});
  cpu().layer_norm(o1, m1, r1, x, w, b, 1e-5);
  launch({unsigned(m)}, {64}, [&] { emu::layer_norm_kernel<double>(P<double>(o2), P<double>(m2), P<double>(r2), P<double>(x), P<double>(w), P<double>(b), n, 1e-5); });
  cmp(o2, o1, "ln out"); cmp(m2, m1, "ln mean"); cmp(r2, r1, "ln rstd");
  Tensor dy = randn({m, n}, {.dtype = kFloat64});
  Tensor dx1 = E({m, n}), dx2 = E({m, n}), dw1 = E({n}), dw2 = E({n}), db1 = E({n}), db2 = E({n});
  cpu().layer_norm_backward(dx1, dw1, db1, dy, x, m1, r1, w);
  launch({unsigned(m)}, {64}, [&] { emu::layer_norm_dx_kernel<double>(P<double>(dx2), P<double>(dy), P<double>(x), P<double>(m2), P<double>(r2), P<double>(w), n); });
  const int64_t col_blocks = (n + emu::kColTile - 1) / emu::kColTile;
  const int64_t chunks = std::max<int64_t>(1, std::min<int64_t>((m + 63) / 64, std::max<int64_t>(1, 1024 / col_blocks)));
  const int64_t rpc = (m + chunks - 1) / chunks;
  std::vector<double> pw(chunks * n), pb(chunks * n);
  launch({unsigned(col_blocks), unsigned(chunks)}, {emu::kColTile, emu::kColRows}, [&] { emu::layer_norm_dwb_partial_kernel<double>(pw.data(), pb.data(), P<double>(dy), P<double>(x), P<double>(m2), P<double>(r2), m, n, rpc); });
  launch({1}, {8}, [&] { emu::layer_norm_dwb_final_kernel<double>(P<double>(dw2), P<double>(db2), pw.data(), pb.data(), chunks, n); });
  cmp(dx2, dx1, "ln dx"); cmp(dw2, dw1, "ln dw " + std::to_string(chunks)); cmp(db2, db1, "ln db");
}

void test_dropout(double p, int64_t n) {
  Tensor x = randn({n}, {.dtype = kFloat32});
  Generator g1(99), g2(99);
  g1.reserve(5); g2.reserve(5);
  Tensor o1 = E({n}, kFloat32), o2 = E({n}, kFloat32), k1 = E({n}, kFloat32), k2 = E({n}, kFloat32);
  cpu().dropout(o1, k1, x, p, g1);
  const uint64_t base = g2.reserve((n + 3) / 4);
  const uint64_t thr = static_cast<uint64_t>(std::ceil(p * 4294967296.0));
  launch({2}, {8}, [&] { emu::dropout_kernel<float>(P<float>(o2), P<float>(k2), P<float>(x), n, g2.seed(), base, thr, float(p < 1 ? 1 / (1 - p) : 0)); });
  if (!equal(o2, o1) || !equal(k2, k1)) { ++fails; std::printf("FAIL dropout %g\n", p); }
}

void test_nll(LossReduction red, bool weighted) {
  const int64_t n = 5, c = 4, k = 3;
  Tensor x = randn({n, c, k}, {.dtype = kFloat64});
  std::vector<int64_t> tv; for (int i = 0; i < n * k; ++i) tv.push_back(i == 1 ? -100 : (i * 7 + 3) % c);
  Tensor t = tensor(tv).reshape({n, k}).contiguous();
  Tensor w = weighted ? rand({c}, {.dtype = kFloat64}) : Tensor();
  Shape os = red == LossReduction::None ? Shape{n, k} : Shape{};
  Tensor o1 = E(os), o2 = E(os), tw1 = E({}), tw2 = E({});
  cpu().nll_loss_forward(o1, tw1, x, t, w, red, -100);
  emu::NllDims d{n, c, k};
  if (red == LossReduction::None) launch({2}, {4}, [&] { emu::nll_none_kernel<double>(P<double>(o2), P<double>(x), P<int64_t>(t), P<double>(w), d, -100); });
  else launch({1}, {32}, [&] { emu::nll_reduce_kernel<double>(P<double>(o2), P<double>(tw2), P<double>(x), P<int64_t>(t), P<double>(w), d, -100, red == LossReduction::Mean); });
  cmp(o2, o1, "nll fwd");
  if (red != LossReduction::None) cmp(tw2, tw1, "nll tw");
  Tensor go = randn(os, {.dtype = kFloat64});
  Tensor g1 = E({n, c, k}), g2 = zeros({n, c, k}, {.dtype = kFloat64});
  cpu().nll_loss_backward(g1, go, t, w, red, -100, tw1);
  launch({2}, {4}, [&] { emu::nll_backward_kernel<double>(P<double>(g2), P<double>(go), P<int64_t>(t), P<double>(w), P<double>(tw1), d, -100, red); });
  cmp(g2, g1, "nll bwd");
}

void test_ctc(bool zero_inf) {
  const int64_t T = 9, n = 3, c = 5, smax = 4;
  Tensor lp = nn::functional::log_softmax(randn({T, n, c}, {.dtype = kFloat64}), 2);
  std::vector<int64_t> tl{4, 2, 3}, il{9, zero_inf ? 2 : 7, 5}, off{0, 4, 6};
  Tensor tg = randint(1, c, {9});
  const int64_t sp = 2 * smax + 1;
  Tensor nll1 = E({n}), nll2 = E({n}), la1 = E({n, T, sp}), la2 = E({n, T, sp});
  cpu().ctc_loss_forward(nll1, la1, lp, tg, off, il, tl, 0);
  std::vector<emu::CtcMeta> meta;
  for (int b = 0; b < n; ++b) meta.push_back({off[b], il[b], tl[b]});
  emu::CtcDims d{T, n, c, sp};
  launch({unsigned(n)}, {4}, [&] { emu::ctc_alpha_kernel<double>(P<double>(nll2), P<double>(la2), P<double>(lp), P<int64_t>(tg), meta.data(), d, 0); });
  cmp(nll2, nll1, "ctc nll"); cmp(la2, la1, "ctc alpha");
  Tensor gn = rand({n}, {.dtype = kFloat64});
  Tensor g1 = E({T, n, c}), g2 = full({T, n, c}, 7.0, {.dtype = kFloat64});
  cpu().ctc_loss_backward(g1, gn, lp, tg, off, il, tl, nll1, la1, 0, zero_inf);
  std::vector<double> beta(n * T * sp);
  launch({unsigned(n)}, {4}, [&] { emu::ctc_grad_kernel<double>(P<double>(g2), beta.data(), P<double>(gn), P<double>(lp), P<int64_t>(tg), meta.data(), P<double>(nll1), P<double>(la1), d, 0, zero_inf); });
  cmp(g2, g1, "ctc grad");
}

template <OptimizerKernel K>
void test_optim(OptimizerStepArgs a, int nstate, std::vector<bool> present) {
  a.kind = K;
  const int64_t n = 17;
  Tensor p1 = randn({n}, {.dtype = kFloat64}), g = randn({n}, {.dtype = kFloat64}), p2 = p1.clone();
  std::vector<Tensor> s1, s2;
  for (int i = 0; i < nstate; ++i) {
    Tensor t = present[i] ? rand({n}, {.dtype = kFloat64}) : Tensor();
    s1.push_back(t); s2.push_back(t.defined() ? t.clone() : t);
  }
  cpu().optimizer_step_(a, p1, g, s1);
  auto sl = [&](int i) { return i < nstate && s2[i].defined() ? s2[i].data_ptr<double>() : nullptr; };
  launch({2}, {4}, [&] { emu::optim_kernel<double, K>(a, P<double>(p2), P<double>(g), sl(0), sl(1), sl(2), n); });
  cmp(p2, p1, "optim param " + std::to_string(int(K)), 1e-12);
  for (int i = 0; i < nstate; ++i) if (s1[i].defined()) cmp(s2[i], s1[i], "optim state " + std::to_string(int(K)), 1e-12);
}

int main() {
  manual_seed(3);
  for (bool aff : {true, false}) for (bool tr : {true, false}) for (bool run : {true, false}) if (tr || run) for (int64_t ch : {1, 2, 4, 7}) test_bn(aff, tr, run, ch);
  test_ln(5, 300, true); test_ln(700, 40, true); test_ln(3, 7, false); test_ln(130, 70, true);
  for (double p : {0.1, 0.5, 1.0}) test_dropout(p, 37);
  for (auto r : {LossReduction::None, LossReduction::Mean, LossReduction::Sum}) for (bool w : {true, false}) test_nll(r, w);
  test_ctc(false); test_ctc(true);
  OptimizerStepArgs a;
  a.lr = 0.1; a.weight_decay = 0.01; a.momentum = 0.9; a.dampening = 0.1; a.alpha = 0.95; a.beta1 = 0.9; a.beta2 = 0.99;
  a.eps = 1e-3; a.step_size = 0.07; a.bias_correction1 = 0.3; a.bias_correction2 = 0.2; a.coef1 = -0.05; a.coef2 = 0.04;
  for (bool nest : {false, true}) for (bool first : {false, true}) for (bool maxi : {false, true}) {
    OptimizerStepArgs b = a; b.nesterov = nest; b.first_step = first; b.maximize = maxi;
    test_optim<OptimizerKernel::SGD>(b, 1, {true});
    test_optim<OptimizerKernel::SGD>(b, 1, {false});
    test_optim<OptimizerKernel::Adam>(b, 3, {true, true, nest});
    test_optim<OptimizerKernel::AdamW>(b, 3, {true, true, nest});
    test_optim<OptimizerKernel::RMSprop>(b, 3, {true, first, nest});
    test_optim<OptimizerKernel::Adagrad>(b, 1, {true});
    test_optim<OptimizerKernel::Adadelta>(b, 2, {true, true});
    test_optim<OptimizerKernel::Adamax>(b, 2, {true, true});
    test_optim<OptimizerKernel::NAdam>(b, 2, {true, true});
    b.coef1 = nest ? 0.7 : -1;
    test_optim<OptimizerKernel::RAdam>(b, 2, {true, true});
  }
  std::printf("fails=%d\n", fails);
  return fails != 0;
}
