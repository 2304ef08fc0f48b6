// Finite-difference gradient checking. Numerical Jacobian columns from central differences on each
// input element; analytical rows from autograd::grad with one-hot output gradients.
#include "wick/autograd/gradcheck.h"

#include <cmath>
#include <sstream>

#include "wick/autograd/engine.h"
#include "wick/autograd/grad_mode.h"
#include "wick/backend/backend.h"
#include "wick/ops/creation.h"

namespace wick::autograd {

namespace {

int64_t total_numel(const variable_list& ts) {
  int64_t n = 0;
  for (const auto& t : ts) n += t.defined() ? t.numel() : 0;
  return n;
}

// Flattened float64 values of all outputs.
std::vector<double> flat_values(const variable_list& outs) {
  std::vector<double> v;
  for (const auto& o : outs) {
    if (!o.defined() || !o.is_floating_point()) continue;
    auto part = o.detach().tolist<double>();
    v.insert(v.end(), part.begin(), part.end());
  }
  return v;
}

GradcheckResult check(const std::function<variable_list(const variable_list&)>& fn, const variable_list& inputs,
                      const GradcheckOptions& opts) {
  GradcheckResult res;
  variable_list outs = fn(inputs);
  variable_list diff_outs;
  for (const auto& o : outs)
    if (o.defined() && o.is_floating_point()) diff_outs.push_back(o);
  const int64_t n_out = total_numel(diff_outs);

  for (size_t k = 0; k < inputs.size(); ++k) {
    const Tensor& in = inputs[k];
    if (!in.defined() || !in.requires_grad()) continue;
    if (in.dtype() != kFloat64) {
      res.ok = false;
      res.message = "gradcheck: input " + std::to_string(k) + " is not float64; finite differences need double precision";
      return res;
    }
    WICK_CHECK(in.is_contiguous(), "gradcheck: input ", k, " must be contiguous");
    const int64_t n_in = in.numel();
    // Numerical Jacobian: J_num[j][i] = d out_j / d in_i.
    std::vector<std::vector<double>> num(static_cast<size_t>(n_in));
    // CPU inputs are perturbed through their buffer; others (CUDA) element by element through
    // their backend's fill_, since their buffer is not host memory.
    double* p = in.is_cpu() ? static_cast<double*>(in.data_ptr()) : nullptr;
    const std::vector<double> host = in.is_cpu() ? std::vector<double>{} : in.detach().tolist<double>();
    auto set = [&](int64_t i, double v) {
      if (p) {
        p[i] = v;
      } else {
        NoGradGuard ng;
        backend_for(in).fill_(in.detach().view({n_in}).select(0, i), v);
      }
    };
    for (int64_t i = 0; i < n_in; ++i) {
      const double orig = p ? p[i] : host[static_cast<size_t>(i)];
      std::vector<double> plus, minus;
      {
        NoGradGuard ng;
        set(i, orig + opts.eps);
        plus = flat_values(fn(inputs));
        set(i, orig - opts.eps);
        minus = flat_values(fn(inputs));
        set(i, orig);
      }
      num[static_cast<size_t>(i)].resize(plus.size());
      for (size_t j = 0; j < plus.size(); ++j) num[static_cast<size_t>(i)][j] = (plus[j] - minus[j]) / (2 * opts.eps);
    }
    // Analytical Jacobian, one output element at a time.
    int64_t j = 0;
    for (const auto& o : diff_outs) {
      for (int64_t e = 0; e < o.numel(); ++e, ++j) {
        std::vector<double> row(static_cast<size_t>(n_in), 0.0);
        if (o.requires_grad()) {
          Tensor go = zeros({o.numel()}, {.dtype = kFloat64});
          go.data_ptr<double>()[e] = 1.0;
          go = go.view(o.sizes()).to(o.device(), o.dtype());
          variable_list g = grad({o}, {in}, {go}, /*retain_graph=*/true, /*create_graph=*/false, /*allow_unused=*/true);
          if (g[0].defined()) row = g[0].contiguous().to(kFloat64).tolist<double>();
        }
        for (int64_t i = 0; i < n_in; ++i) {
          double a = row[static_cast<size_t>(i)], nm = num[static_cast<size_t>(i)][static_cast<size_t>(j)];
          if (!(std::abs(a - nm) <= opts.atol + opts.rtol * std::abs(nm))) {
            std::ostringstream os;
            os << "Jacobian mismatch for output " << j << " with respect to input " << k << ", element " << i
               << ": analytical " << a << " vs numerical " << nm;
            res.ok = false;
            res.message = os.str();
            return res;
          }
        }
      }
    }
    (void)n_out;
  }
  return res;
}

}  // namespace

GradcheckResult gradcheck(const std::function<variable_list(const variable_list&)>& fn, const variable_list& inputs,
                          GradcheckOptions opts) {
  GradcheckResult first = check(fn, inputs, opts);
  if (!first || !opts.check_grad_grad) return first;
  // gradgradcheck: the vector-Jacobian product, as a function of (inputs, v), must itself pass.
  variable_list outs = fn(inputs);
  variable_list vs;
  for (const auto& o : outs)
    if (o.defined() && o.is_floating_point() && o.requires_grad())
      vs.push_back(randn(o.sizes(), {.dtype = kFloat64}).requires_grad_());
  variable_list all = inputs;
  all.insert(all.end(), vs.begin(), vs.end());
  const size_t n_inputs = inputs.size();
  auto vjp = [&](const variable_list& args) {
    // Finite differences evaluate under no_grad; the VJP still needs a graph to differentiate.
    EnableGradGuard eg;
    variable_list ins(args.begin(), args.begin() + static_cast<std::ptrdiff_t>(n_inputs));
    variable_list v(args.begin() + static_cast<std::ptrdiff_t>(n_inputs), args.end());
    variable_list o = fn(ins);
    variable_list diff;
    for (const auto& t : o)
      if (t.defined() && t.is_floating_point() && t.requires_grad()) diff.push_back(t);
    variable_list wrt;
    for (const auto& t : ins)
      if (t.defined() && t.requires_grad()) wrt.push_back(t);
    return grad(diff, wrt, v, true, true, true);
  };
  GradcheckResult second = check(vjp, all, opts);
  if (!second) second.message = "gradgradcheck: " + second.message;
  return second;
}

GradcheckResult gradcheck(const std::function<Tensor(const variable_list&)>& fn, const variable_list& inputs,
                          GradcheckOptions opts) {
  return gradcheck(std::function<variable_list(const variable_list&)>(
                       [&fn](const variable_list& in) { return variable_list{fn(in)}; }),
                   inputs, opts);
}

}  // namespace wick::autograd
