// Custom autograd Function support: wiring a user's forward results to a node that calls the
// user's backward with its context.
#include "wick/autograd/function.h"

#include <cxxabi.h>

#include <cstdlib>
#include <memory>

namespace wick::autograd {

void AutogradContext::save_for_backward(const variable_list& tensors) {
  pending_.assign(tensors.begin(), tensors.end());
}

variable_list AutogradContext::get_saved_variables() const {
  variable_list out;
  for (const auto& s : saved_) out.push_back(s.unpack());
  return out;
}

void AutogradContext::mark_non_differentiable(const variable_list& outputs) {
  for (const auto& t : outputs) non_differentiable_.push_back(t.impl());
}

void AutogradContext::finalize_saved(const variable_list& raw_outputs, const variable_list& wired_outputs) {
  saved_.clear();
  for (const auto& t : pending_) {
    bool saved_as_output = false;
    for (size_t i = 0; i < raw_outputs.size(); ++i) {
      if (t.defined() && raw_outputs[i].is_same(t)) {
        saved_.emplace_back(wired_outputs[i], true, static_cast<uint32_t>(i));
        saved_as_output = true;
        break;
      }
    }
    if (!saved_as_output) saved_.emplace_back(t);
  }
  pending_.clear();
}

namespace detail {

std::string demangle(const char* name) {
  int status = 0;
  char* d = abi::__cxa_demangle(name, nullptr, nullptr, &status);
  std::string r = status == 0 && d ? d : name;
  std::free(d);
  auto pos = r.rfind("::");
  return pos == std::string::npos ? r : r.substr(pos + 2);
}

variable_list wire_function(const std::string& name, std::shared_ptr<AutogradContext> ctx, const variable_list& inputs,
                            const variable_list& outputs,
                            std::function<variable_list(AutogradContext*, const variable_list&)> backward) {
  // Outputs become fresh aliases, so that attaching a grad_fn never touches an input returned as is.
  variable_list wired;
  for (const auto& o : outputs) {
    if (!o.defined()) {
      wired.push_back(o);
      continue;
    }
    auto a = wick::detail::make_pooled<TensorImpl>(
        o.impl()->storage, o.impl()->offset, o.impl()->sizes, o.impl()->strides, o.impl()->dtype);
    wired.emplace_back(a);
  }
  ctx->finalize_saved(outputs, wired);
  if (!needs_grad(inputs)) return wired;
  std::vector<Tensor> differentiable;
  std::vector<size_t> positions;
  for (size_t i = 0; i < wired.size(); ++i) {
    bool nd = false;
    for (auto* p : ctx->non_differentiable_) nd = nd || (outputs[i].impl() == p);
    if (wired[i].defined() && !nd && wired[i].is_floating_point()) {
      differentiable.push_back(wired[i]);
      positions.push_back(i);
    }
  }
  const size_t n_inputs = inputs.size();
  const size_t n_outputs = wired.size();
  record(name.c_str(), differentiable, inputs,
         [ctx, backward, positions, n_inputs, n_outputs, name](const variable_list& g) {
           variable_list full(n_outputs);
           for (size_t k = 0; k < positions.size(); ++k) full[positions[k]] = g[k];
           variable_list r = backward(ctx.get(), full);
           WICK_CHECK(r.size() >= n_inputs, "function ", name, " returned an incorrect number of gradients (expected ",
                      n_inputs, ", got ", r.size(), ")");
           r.resize(n_inputs);
           return r;
         });
  return wired;
}

}  // namespace detail
}  // namespace wick::autograd
