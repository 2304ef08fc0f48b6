// The lazy modules (torch.nn.LazyLinear, LazyConv1d/2d/3d, LazyConvTranspose1d/2d/3d,
// LazyBatchNorm1d/2d/3d, LazyInstanceNorm1d/2d/3d): the module without its input size
// (in_features, in_channels or num_features), which the first forward reads from the input: the
// last dim for Linear, else the channel dim (1, or 0 for an unbatched input).
// Until then every parameter and floating buffer is empty (shape [0], PyTorch's uninitialized
// parameters) and the module prints as PyTorch prints it, with 0 for the size
// (LazyConv2d(0, 6, kernel_size=(5, 5), stride=(1, 1))). The first forward builds the complete
// module with that size, which draws its default initial values exactly as constructing one then
// would (constructing the lazy module draws nothing), and moves that module's tensors into this
// one's in place, so handles taken before (an optimizer's) see them. From then on it is that
// module and prints as one (Conv2d(3, 6, ...)). A state dict cannot be loaded before the first
// forward (its shapes do not match yet): run one forward first.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "wick/autograd/grad_mode.h"
#include "wick/core/generator.h"
#include "wick/nn/modules/batchnorm.h"
#include "wick/nn/modules/conv.h"
#include "wick/nn/modules/instancenorm.h"
#include "wick/nn/modules/linear.h"
#include "wick/ops/creation.h"

namespace wick::nn {

// Where a lazy module reads its input size.
enum class LazyInput {
  kLastDim,       // Linear: input.size(-1)
  kChannelDim,    // Conv, ConvTranspose, InstanceNorm: dim 1 of a batched input, 0 of unbatched
  kBatchChannel,  // BatchNorm: dim 1 of (N, C, *)
};

namespace detail {

// The size `where` says, after checking the input's rank (`batched_rank`: the rank with a batch
// dim, for kChannelDim); errors name `lazy_name`.
int64_t lazy_input_size(const Tensor& input, LazyInput where, int64_t batched_rank,
                        const std::string& lazy_name);

// Keeps the CPU default generator's state over a lazy module's construction: the inner module
// is built with size 0, and its default init would still draw (a bias of U(0, 0)). A base class,
// so it is built before the inner module and restored in the lazy module's constructor.
class KeepGeneratorState {
 protected:
  KeepGeneratorState() : seed_(default_generator().seed()), offset_(default_generator().offset()) {}
  void restore() const { default_generator().set_state(seed_, offset_); }

 private:
  uint64_t seed_, offset_;
};

}  // namespace detail

template <class Impl>
struct LazyImpl : private detail::KeepGeneratorState, Impl {
  struct Spec {
    const char* lazy_name;  // "LazyConv2d"
    int64_t Impl::*size;    // &ConvImpl<2>::in_channels
    LazyInput where;
    int64_t batched_rank;  // for kChannelDim
  };

  // Impl(0, args...), with its parameters and floating buffers emptied.
  template <class... Args>
  explicit LazyImpl(Spec spec, Args... args)
      : Impl(0, args...),
        spec_(spec),
        make_([args...](int64_t size) { return std::make_shared<Impl>(size, args...); }) {
    restore();
    for (const Tensor& t : lazy_tensors(*this)) detail::assign_in_place(t, empty({0}, t.options()));
  }

  template <class... Rest>
  auto forward(const Tensor& input, Rest&&... rest) {
    initialize_parameters(input);
    return Impl::forward(input, std::forward<Rest>(rest)...);
  }
  // Gives the parameters and buffers their shapes and default initial values from `input`'s
  // size; does nothing once done.
  void initialize_parameters(const Tensor& input) {
    if (initialized_) return;
    const int64_t size =
        detail::lazy_input_size(input, spec_.where, spec_.batched_rank, spec_.lazy_name);
    materialize(*make_(size), size, false);
  }
  bool has_uninitialized_params() const { return !initialized_; }
  // As the inner module's; a no-op while uninitialised.
  void reset_parameters() {
    if (initialized_) Impl::reset_parameters();
  }
  std::string repr() const override {
    return initialized_ ? Impl::repr() : spec_.lazy_name + ("(" + this->extra_repr() + ")");
  }

 protected:
  // A clone (built uninitialised by its factory) takes this module's shapes; clone() then copies
  // the values.
  void prepare_copy(Module& copy) const override {
    if (!initialized_) return;
    dynamic_cast<LazyImpl&>(copy).materialize(*this, this->*spec_.size, true);
  }

 private:
  // The parameters and floating buffers of `m` (not its children's), in registration order: the
  // tensors that stay empty until the first forward.
  static std::vector<Tensor> lazy_tensors(const Module& m) {
    std::vector<Tensor> out = m.parameters(false);
    for (const Tensor& b : m.buffers(false))
      if (b.defined() && b.is_floating_point()) out.push_back(b);
    return out;
  }
  // Takes `from`'s tensors (in the same registration order; copies of them when `copy`), converted
  // to this module's dtype and device (which to() may have changed since construction), and its
  // size.
  void materialize(const Impl& from, int64_t size, bool copy) {
    const std::vector<Tensor> mine = lazy_tensors(*this), theirs = lazy_tensors(from);
    WICK_CHECK(mine.size() == theirs.size(), spec_.lazy_name,
               ": the complete module registers other tensors than the lazy one");
    {
      NoGradGuard no_grad;
      for (size_t i = 0; i < mine.size(); ++i) {
        Tensor t = theirs[i].detach().to({.dtype = mine[i].dtype(), .device = mine[i].device()});
        detail::assign_in_place(mine[i], copy ? t.clone() : t);
      }
    }
    this->*spec_.size = size;
    initialized_ = true;
  }

  Spec spec_;
  std::function<std::shared_ptr<Impl>(int64_t)> make_;
  bool initialized_ = false;
};

// LazyLinear(out_features, options): Linear(in_features = input.size(-1), out_features, options).
struct LazyLinearImpl : LazyImpl<LinearImpl> {
  explicit LazyLinearImpl(int64_t out_features, LinearOptions options = {})
      : LazyImpl({"LazyLinear", &LinearImpl::in_features, LazyInput::kLastDim, 0}, out_features,
                 options) {}
};
class LazyLinear : public ModuleHolder<LazyLinearImpl> {
 public:
  using ModuleHolder<LazyLinearImpl>::ModuleHolder;
  explicit LazyLinear(int64_t out_features, LinearOptions options = {});
};

// LazyConv2d(out_channels, kernel_size, options) and the transposed ones: in_channels from the
// input.
#define WICK_LAZY_CONV_MODULE(Name, Kind, D)                                                       \
  struct Name##Impl : LazyImpl<Kind##Impl<D>> {                                                    \
    Name##Impl(int64_t out_channels, ExpandingArray<D> kernel_size, Kind##Options<D> options = {}) \
        : LazyImpl({#Name, &Kind##Impl<D>::in_channels, LazyInput::kChannelDim, D + 2},            \
                   out_channels, kernel_size, std::move(options)) {}                               \
  };                                                                                               \
  class Name : public ModuleHolder<Name##Impl> {                                                   \
   public:                                                                                         \
    using ModuleHolder<Name##Impl>::ModuleHolder;                                                  \
    Name(int64_t out_channels, ExpandingArray<D> kernel_size, Kind##Options<D> options = {});      \
  }
WICK_LAZY_CONV_MODULE(LazyConv1d, Conv, 1);
WICK_LAZY_CONV_MODULE(LazyConv2d, Conv, 2);
WICK_LAZY_CONV_MODULE(LazyConv3d, Conv, 3);
WICK_LAZY_CONV_MODULE(LazyConvTranspose1d, ConvTranspose, 1);
WICK_LAZY_CONV_MODULE(LazyConvTranspose2d, ConvTranspose, 2);
WICK_LAZY_CONV_MODULE(LazyConvTranspose3d, ConvTranspose, 3);
#undef WICK_LAZY_CONV_MODULE

// PyTorch's lazy instance norms take its lazy norm base's defaults, affine=True and
// track_running_stats=True (InstanceNorm*: False), the same as BatchNorm's.
using LazyInstanceNormOptions = BatchNormOptions;

// LazyBatchNorm2d(options), LazyInstanceNorm2d(options): num_features from the input.
#define WICK_LAZY_NORM_MODULE(Name, Inner, Options, InnerOptions, where, rank)                \
  struct Name##Impl : LazyImpl<Inner##Impl> {                                                 \
    explicit Name##Impl(Options o = {})                                                       \
        : LazyImpl({#Name, &Inner##Impl::num_features, where, rank},                          \
                   InnerOptions{o.eps, o.momentum, o.affine, o.track_running_stats, o.device, \
                                o.dtype}) {}                                                  \
  };                                                                                          \
  class Name : public ModuleHolder<Name##Impl> {                                              \
   public:                                                                                    \
    using ModuleHolder<Name##Impl>::ModuleHolder;                                             \
    Name(Options options = {}); /* NOLINT */                                                  \
  }
WICK_LAZY_NORM_MODULE(LazyBatchNorm1d, BatchNorm1d, BatchNormOptions, BatchNormOptions,
                      LazyInput::kBatchChannel, 0);
WICK_LAZY_NORM_MODULE(LazyBatchNorm2d, BatchNorm2d, BatchNormOptions, BatchNormOptions,
                      LazyInput::kBatchChannel, 0);
WICK_LAZY_NORM_MODULE(LazyBatchNorm3d, BatchNorm3d, BatchNormOptions, BatchNormOptions,
                      LazyInput::kBatchChannel, 0);
WICK_LAZY_NORM_MODULE(LazyInstanceNorm1d, InstanceNorm1d, LazyInstanceNormOptions,
                      InstanceNormOptions, LazyInput::kChannelDim, 3);
WICK_LAZY_NORM_MODULE(LazyInstanceNorm2d, InstanceNorm2d, LazyInstanceNormOptions,
                      InstanceNormOptions, LazyInput::kChannelDim, 4);
WICK_LAZY_NORM_MODULE(LazyInstanceNorm3d, InstanceNorm3d, LazyInstanceNormOptions,
                      InstanceNormOptions, LazyInput::kChannelDim, 5);
#undef WICK_LAZY_NORM_MODULE

}  // namespace wick::nn
