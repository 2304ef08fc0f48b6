// The backward engine. One pass: find the nodes that matter (all, for backward; those leading to
// the requested inputs, for grad), count dependencies, then run nodes from a ready queue ordered by
// sequence number (latest first), summing gradients per node input.
#include "wick/autograd/engine.h"

#include <algorithm>
#include <map>
#include <queue>
#include <unordered_map>
#include <unordered_set>

#include "wick/autograd/grad_mode.h"
#include "wick/autograd/record.h"
#include "wick/ops/creation.h"
#include "wick/ops/pointwise.h"

namespace wick::autograd {

namespace detail {
void set_current_node(Node* n);
}

namespace {

struct CurrentNodeScope {
  explicit CurrentNodeScope(Node* n) : prev(current_node()) { detail::set_current_node(n); }
  ~CurrentNodeScope() { detail::set_current_node(prev); }
  Node* prev;
};

struct GradModeScope {
  explicit GradModeScope(bool on) : prev(GradMode::is_enabled()) { GradMode::set_enabled(on); }
  ~GradModeScope() { GradMode::set_enabled(prev); }
  bool prev;
};

void accumulate(Tensor& slot, const Tensor& g) {
  if (!g.defined()) return;
  slot = slot.defined() ? slot + g : g;
}

// Checks a gradient against the shape its node expects (catches wrong backward formulas early).
void validate(Node* node, uint32_t input_nr, const Tensor& g, const std::string& producer) {
  if (!g.defined() || input_nr >= node->output_meta().size()) return;
  const OutputMeta& m = node->output_meta()[input_nr];
  WICK_CHECK(g.sizes() == IntArrayRef(m.sizes), "Function ", producer, " returned an invalid gradient at index ",
             input_nr, " - got ", shape_str(g.sizes()), " but expected shape compatible with ", shape_str(m.sizes));
}

struct Capture {
  Node* node;
  uint32_t input_nr;
};

// Runs the graph. With `captures` non-empty this is autograd::grad: captured gradients are
// returned and AccumulateGrad nodes do not run.
variable_list run(const std::vector<Edge>& roots, const variable_list& root_grads, bool keep_graph, bool create_graph,
                  const std::vector<Capture>& captures) {
  const bool grad_mode = !captures.empty();
  // 1. Collect the graph reachable from the roots.
  std::vector<Node*> order;
  std::unordered_set<Node*> seen;
  std::vector<Node*> stack;
  for (const auto& e : roots)
    if (e.fn && seen.insert(e.fn.get()).second) stack.push_back(e.fn.get());
  while (!stack.empty()) {
    Node* n = stack.back();
    stack.pop_back();
    order.push_back(n);
    for (const auto& e : n->next_edges())
      if (e.fn && seen.insert(e.fn.get()).second) stack.push_back(e.fn.get());
  }
  // 2. In grad mode, keep only nodes from which a captured node is reachable.
  std::unordered_set<Node*> needed;
  if (grad_mode) {
    std::unordered_map<Node*, std::vector<Node*>> parents;
    for (Node* n : order)
      for (const auto& e : n->next_edges())
        if (e.fn) parents[e.fn.get()].push_back(n);
    std::vector<Node*> work;
    for (const auto& c : captures)
      if (seen.count(c.node) && needed.insert(c.node).second) work.push_back(c.node);
    while (!work.empty()) {
      Node* n = work.back();
      work.pop_back();
      for (Node* p : parents[n])
        if (needed.insert(p).second) work.push_back(p);
    }
  } else {
    needed.insert(order.begin(), order.end());
  }
  // 3. Dependency counts among needed nodes.
  std::unordered_map<Node*, int> deps;
  for (Node* n : order) {
    if (!needed.count(n)) continue;
    for (const auto& e : n->next_edges())
      if (e.fn && needed.count(e.fn.get())) ++deps[e.fn.get()];
  }
  std::unordered_map<Node*, variable_list> buffers;
  auto buffer_of = [&](Node* n) -> variable_list& {
    auto& b = buffers[n];
    if (b.size() < n->output_meta().size()) b.resize(n->output_meta().size());
    return b;
  };
  auto cmp = [](Node* a, Node* b) { return a->sequence_nr() < b->sequence_nr(); };
  std::priority_queue<Node*, std::vector<Node*>, decltype(cmp)> ready(cmp);
  // Keep root nodes alive for the whole run.
  std::vector<std::shared_ptr<Node>> keep_alive;
  for (size_t i = 0; i < roots.size(); ++i) {
    if (!roots[i].fn) continue;
    keep_alive.push_back(roots[i].fn);
    Node* n = roots[i].fn.get();
    if (!needed.count(n)) continue;
    auto& b = buffer_of(n);
    if (b.size() <= roots[i].input_nr) b.resize(roots[i].input_nr + 1);
    accumulate(b[roots[i].input_nr], root_grads[i]);
  }
  std::unordered_set<Node*> queued;
  for (const auto& e : roots) {
    Node* n = e.fn.get();
    if (n && needed.count(n) && deps[n] == 0 && queued.insert(n).second) ready.push(n);
  }

  std::map<std::pair<Node*, uint32_t>, Tensor> captured;
  std::unordered_set<Node*> capture_nodes;
  for (const auto& c : captures) capture_nodes.insert(c.node);

  GradModeScope gm(create_graph);
  while (!ready.empty()) {
    Node* node = ready.top();
    ready.pop();
    std::shared_ptr<Node> hold = node->shared_from_this();
    variable_list grads = std::move(buffer_of(node));
    buffers.erase(node);
    // Tensor hooks, then retain_grad (which sees the hooked gradient), as PyTorch.
    for (auto& [id, nr, hook] : node->pre_hooks()) {
      if (nr < grads.size() && grads[nr].defined()) {
        Tensor r = hook(grads[nr]);
        if (r.defined()) grads[nr] = r;
      }
    }
    auto* acc = dynamic_cast<AccumulateGrad*>(node);
    if (acc) {
      for (auto& [id, hook] : acc->variable()->leaf_hooks) {
        if (!grads.empty() && grads[0].defined()) {
          Tensor r = hook(grads[0]);
          if (r.defined()) grads[0] = r;
        }
      }
    }
    for (auto& [nr, weak] : node->retain_grads()) {
      auto impl = weak.lock();
      if (!impl || nr >= grads.size() || !grads[nr].defined()) continue;
      Tensor g = create_graph ? grads[nr] : grads[nr].detach();
      impl->grad = impl->grad ? (Tensor(impl->grad) + g).impl_ptr() : g.clone().impl_ptr();
    }
    if (capture_nodes.count(node)) {
      for (const auto& c : captures)
        if (c.node == node && c.input_nr < grads.size()) captured[{node, c.input_nr}] = grads[c.input_nr];
    }
    if (acc && grad_mode) continue;  // autograd::grad never writes .grad
    variable_list outs;
    {
      CurrentNodeScope cur(node);
      outs = node->apply(std::move(grads));
    }
    if (!keep_graph) node->release_variables();
    const auto& edges = node->next_edges();
    WICK_CHECK(acc || outs.size() == edges.size(), "Function ", node->name(), " returned ", outs.size(),
               " gradients, expected ", edges.size());
    for (size_t i = 0; i < edges.size() && i < outs.size(); ++i) {
      const Edge& e = edges[i];
      if (!e.fn || !needed.count(e.fn.get())) continue;
      validate(e.fn.get(), e.input_nr, outs[i], node->name());
      auto& b = buffer_of(e.fn.get());
      if (b.size() <= e.input_nr) b.resize(e.input_nr + 1);
      accumulate(b[e.input_nr], outs[i]);
      if (--deps[e.fn.get()] == 0 && queued.insert(e.fn.get()).second) ready.push(e.fn.get());
    }
  }
  variable_list result;
  for (const auto& c : captures) {
    auto it = captured.find({c.node, c.input_nr});
    result.push_back(it == captured.end() ? Tensor() : it->second);
  }
  return result;
}

// Roots and their seed gradients, with PyTorch's checks.
void make_roots(const variable_list& tensors, const variable_list& grad_tensors, std::vector<Edge>& roots,
                variable_list& grads) {
  WICK_CHECK(grad_tensors.empty() || grad_tensors.size() == tensors.size(), "backward: got ", tensors.size(),
             " tensors and ", grad_tensors.size(), " gradients");
  for (size_t i = 0; i < tensors.size(); ++i) {
    const Tensor& t = tensors[i];
    WICK_CHECK(t.requires_grad(), "element ", i, " of tensors does not require grad and does not have a grad_fn");
    Tensor g = grad_tensors.empty() ? Tensor() : grad_tensors[i];
    if (!g.defined()) {
      WICK_CHECK(t.numel() == 1, "grad can be implicitly created only for scalar outputs (got shape ",
                 shape_str(t.sizes()), ")");
      g = ones_like(t);
    } else {
      WICK_CHECK(g.sizes() == t.sizes(), "backward: mismatch in shape: grad_output[", i, "] has a shape of ",
                 shape_str(g.sizes()), " and output[", i, "] has a shape of ", shape_str(t.sizes()));
    }
    roots.push_back(gradient_edge(t));
    grads.push_back(g);
  }
}

}  // namespace

void backward(const variable_list& tensors, const variable_list& grad_tensors, std::optional<bool> retain_graph,
              bool create_graph) {
  std::vector<Edge> roots;
  variable_list grads;
  make_roots(tensors, grad_tensors, roots, grads);
  run(roots, grads, retain_graph.value_or(create_graph), create_graph, {});
}

variable_list grad(const variable_list& outputs, const variable_list& inputs, const variable_list& grad_outputs,
                   std::optional<bool> retain_graph, bool create_graph, bool allow_unused) {
  std::vector<Edge> roots;
  variable_list grads;
  make_roots(outputs, grad_outputs, roots, grads);
  std::vector<Capture> captures;
  std::vector<Edge> input_edges;  // holds accumulators alive during the run
  for (size_t i = 0; i < inputs.size(); ++i) {
    WICK_CHECK(inputs[i].defined() && inputs[i].requires_grad(), "autograd::grad: input ", i,
               " does not require grad");
    Edge e = gradient_edge(inputs[i]);
    input_edges.push_back(e);
    captures.push_back({e.fn.get(), e.input_nr});
  }
  variable_list result = run(roots, grads, retain_graph.value_or(create_graph), create_graph, captures);
  for (size_t i = 0; i < result.size(); ++i) {
    WICK_CHECK(result[i].defined() || allow_unused, "One of the differentiated Tensors (input ", i,
               ") appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.");
  }
  return result;
}

}  // namespace wick::autograd
