// Custom autograd functions, as torch.autograd.Function (LibTorch's spelling):
//   struct MulTwo : autograd::Function<MulTwo> {
//     static Tensor forward(AutogradContext* ctx, Tensor x) { ctx->save_for_backward({x}); return x * 2; }
//     static variable_list backward(AutogradContext* ctx, variable_list g) { return {g[0] * 2}; }
//   };
//   Tensor y = MulTwo::apply(x);
#pragma once

#include <any>
#include <map>
#include <memory>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <vector>

#include "wick/autograd/grad_mode.h"
#include "wick/autograd/record.h"

namespace wick::autograd {

class AutogradContext {
 public:
  void save_for_backward(const variable_list& tensors);
  variable_list get_saved_variables() const;
  void mark_non_differentiable(const variable_list& outputs);
  // Free-form storage, as ctx.foo = ... in Python.
  std::map<std::string, std::any> saved_data;
  // needs_input_grad(i): whether input i requires grad.
  bool needs_input_grad(size_t i) const { return i < needs_input_grad_.size() && needs_input_grad_[i]; }

  // Used by Function<T>::apply.
  std::vector<bool> needs_input_grad_;
  std::vector<TensorImpl*> non_differentiable_;
  // Turns the tensors given to save_for_backward into SavedTensors once outputs are known.
  void finalize_saved(const variable_list& raw_outputs, const variable_list& wired_outputs);

 private:
  variable_list pending_;
  std::vector<SavedTensor> saved_;
};

namespace detail {
inline void collect_tensors(variable_list&) {}
template <typename A, typename... Rest>
void collect_tensors(variable_list& out, const A& a, const Rest&... rest) {
  if constexpr (std::is_same_v<std::decay_t<A>, Tensor>) out.push_back(a);
  collect_tensors(out, rest...);
}
// Wires `outputs` to a node that calls backward with ctx. Implemented in function.cpp.
variable_list wire_function(const std::string& name, std::shared_ptr<AutogradContext> ctx,
                            const variable_list& inputs, const variable_list& outputs,
                            std::function<variable_list(AutogradContext*, const variable_list&)> backward);
std::string demangle(const char* name);
}  // namespace detail

template <typename T>
struct Function {
  template <typename... Args>
  static auto apply(Args&&... args) {
    variable_list inputs;
    detail::collect_tensors(inputs, args...);
    auto ctx = std::make_shared<AutogradContext>();
    for (const auto& t : inputs) ctx->needs_input_grad_.push_back(t.defined() && t.requires_grad());
    using Out = decltype(T::forward(ctx.get(), std::forward<Args>(args)...));
    Out out;
    {
      NoGradGuard no_grad;
      out = T::forward(ctx.get(), std::forward<Args>(args)...);
    }
    variable_list outs;
    if constexpr (std::is_same_v<Out, Tensor>) outs = {out};
    else outs = out;
    variable_list wired = detail::wire_function(detail::demangle(typeid(T).name()) + "Backward", ctx, inputs, outs,
                                                [](AutogradContext* c, const variable_list& g) { return T::backward(c, g); });
    if constexpr (std::is_same_v<Out, Tensor>) return wired[0];
    else return wired;
  }
};

}  // namespace wick::autograd
