// F::ctc_loss: argument checks with PyTorch's messages, the fused CTC op over the backend kernels
// (node CtcLossBackward0; not twice differentiable, as PyTorch), then zero_infinity and the
// reduction (mean divides each loss by its target length first). Targets take no gradient.
#include <algorithm>
#include <limits>
#include <vector>

#include "wick/autograd/record.h"
#include "wick/backend/backend.h"
#include "wick/nn/functional/loss.h"
#include "wick/ops/creation.h"
#include "wick/ops/pointwise.h"

namespace wick::nn::functional {
namespace {

// What backward needs besides the incoming gradient.
struct CtcSaved {
  Tensor log_probs;  // (T, N, C) contiguous
  Tensor targets;    // int64 contiguous
  Shape offsets, input_lengths, target_lengths;
  Tensor nll, log_alpha;
  int64_t blank;
  bool zero_infinity;
};

std::vector<int64_t> lengths_of(const Tensor& t, const char* name) {
  WICK_CHECK(!t.is_floating_point() && t.dtype() != kBool, "ctc_loss: expected ", name,
             " as an integer tensor, got ", dtype_name(t.dtype()));
  WICK_CHECK(t.dim() <= 1, "ctc_loss: expected ", name, " to be 0-d or 1-d, got ", t.sizes());
  return t.to(kInt64).cpu().contiguous().reshape({-1}).tolist<int64_t>();
}

}  // namespace

Tensor ctc_loss(const Tensor& log_probs, const Tensor& targets, IntArrayRef input_lengths,
                IntArrayRef target_lengths, const CTCLossOptions& o) {
  const LossReduction reduction = parse_reduction(o.reduction);
  WICK_CHECK(log_probs.is_floating_point(), "ctc_loss: expected floating point log_probs, got ",
             dtype_name(log_probs.dtype()));
  WICK_CHECK(log_probs.dim() == 2 || log_probs.dim() == 3,
             "ctc_loss: expected log_probs of shape (T, N, C) or (T, C), got ", log_probs.sizes());
  WICK_CHECK(!targets.is_floating_point() && targets.dtype() != kBool,
             "ctc_loss: expected integer targets, got ", dtype_name(targets.dtype()));
  const bool unbatched = log_probs.dim() == 2;
  Tensor lp = (unbatched ? log_probs.unsqueeze(1) : log_probs).contiguous();
  Tensor tg = (unbatched ? targets.unsqueeze(0) : targets).to(kInt64).contiguous();
  const int64_t tmax = lp.size(0), n = lp.size(1), c = lp.size(2);
  WICK_CHECK(o.blank >= 0 && o.blank < c, "blank must be in label range");
  WICK_CHECK(static_cast<int64_t>(input_lengths.size()) == n, "input_lengths must be of size batch_size");
  WICK_CHECK(static_cast<int64_t>(target_lengths.size()) == n, "target_lengths must be of size batch_size");
  Shape offsets(static_cast<size_t>(n));
  int64_t max_target = 0, total = 0;
  for (int64_t b = 0; b < n; ++b) {
    const int64_t il = input_lengths[static_cast<size_t>(b)], tl = target_lengths[static_cast<size_t>(b)];
    WICK_CHECK(il >= 0 && il <= tmax, "Expected input_lengths to have value at most ", tmax,
               ", but got value ", il, " (while checking arguments for ctc_loss)");
    WICK_CHECK(tl >= 0, "ctc_loss: expected non-negative target_lengths, got ", tl);
    max_target = std::max(max_target, tl);
    offsets[static_cast<size_t>(b)] = tg.dim() == 1 ? total : b * (tg.dim() == 2 ? tg.size(1) : 0);
    total += tl;
  }
  if (tg.dim() == 1) {
    WICK_CHECK(tg.size(0) == total, "Expected tensor to have size ", total, " at dimension 0, but got size ",
               tg.size(0), " for argument #2 'targets' (while checking arguments for ctc_loss)");
  } else {
    WICK_CHECK(tg.dim() == 2 && tg.size(0) == n, "ctc_loss: expected targets of shape (", n,
               ", S) or 1-d concatenated, got ", targets.sizes());
    WICK_CHECK(tg.size(1) >= max_target, "Expected tensor to have size at least ", max_target,
               " at dimension 1, but got size ", tg.size(1),
               " for argument #2 'targets' (while checking arguments for ctc_loss)");
  }
  {
    const std::vector<int64_t> labels = tg.cpu().reshape({-1}).tolist<int64_t>();
    for (int64_t b = 0; b < n; ++b) {
      for (int64_t i = 0; i < target_lengths[static_cast<size_t>(b)]; ++i) {
        const int64_t v = labels[static_cast<size_t>(offsets[static_cast<size_t>(b)] + i)];
        WICK_CHECK(v >= 0 && v < c && v != o.blank, "ctc_loss: target label ", v, " of batch item ", b,
                   " is out of range [0, ", c, ") or equal to blank (", o.blank, ")");
      }
    }
  }
  auto saved = std::make_shared<CtcSaved>();
  saved->log_probs = lp.detach();
  saved->targets = tg;
  saved->offsets = offsets;
  saved->input_lengths = input_lengths.vec();
  saved->target_lengths = target_lengths.vec();
  saved->nll = empty({n}, lp.options());
  saved->log_alpha = empty({n, tmax, 2 * max_target + 1}, lp.options());
  saved->blank = o.blank;
  saved->zero_infinity = o.zero_infinity;
  backend_for(lp).ctc_loss_forward(saved->nll, saved->log_alpha, saved->log_probs, tg, offsets, input_lengths,
                                   target_lengths, o.blank);
  Shape in_shape = log_probs.sizes().vec();
  Tensor nll = autograd::record("CtcLossBackward0", saved->nll.clone(), {log_probs},
                                [saved, in_shape](const autograd::variable_list& g) {
                                  const CtcSaved& s = *saved;
                                  Tensor grad = empty(s.log_probs.sizes(), s.log_probs.options());
                                  NoGradGuard ng;
                                  backend_for(grad).ctc_loss_backward(
                                      grad, g[0].reshape({-1}), s.log_probs, s.targets, s.offsets,
                                      s.input_lengths, s.target_lengths, s.nll, s.log_alpha, s.blank,
                                      s.zero_infinity);
                                  return autograd::variable_list{grad.view(in_shape)};
                                });
  if (o.zero_infinity) nll = where(eq(nll, std::numeric_limits<double>::infinity()), zeros({}, nll.options()), nll);
  switch (reduction) {
    case LossReduction::None: return unbatched ? nll.squeeze(0) : nll;
    case LossReduction::Sum: return nll.sum();
    case LossReduction::Mean: {
      Tensor lengths = clamp_min(tensor(target_lengths.vec(), {.dtype = nll.dtype()}).to(nll.device()), 1);
      return (nll / lengths).mean();
    }
  }
  return nll;
}

Tensor ctc_loss(const Tensor& log_probs, const Tensor& targets, const Tensor& input_lengths,
                const Tensor& target_lengths, const CTCLossOptions& o) {
  return ctc_loss(log_probs, targets, lengths_of(input_lengths, "input_lengths"),
                  lengths_of(target_lengths, "target_lengths"), o);
}

}  // namespace wick::nn::functional
