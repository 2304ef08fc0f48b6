// The backward engine. One pass: find the nodes that matter (all, for backward; those leading to
// the requested inputs, for grad), count dependencies, then run nodes from a ready queue ordered by
// sequence number (latest first), summing gradients per node input. Per-node state of a run lives in
// vectors indexed by a per-run id, so a run costs a few allocations, not several per node.
#include "wick/autograd/engine.h"

#include <algorithm>
#include <map>
#include <queue>
#include <typeinfo>

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
void validate(Node* node, uint32_t input_nr, const Tensor& g, Node* producer) {
  if (!g.defined() || input_nr >= node->output_meta().size()) return;
  const OutputMeta& m = node->output_meta()[input_nr];
  WICK_CHECK(g.sizes() == IntArrayRef(m.sizes), "Function ", producer->name(), " returned an invalid gradient at index ",
             input_nr, " - got ", shape_str(g.sizes()), " but expected shape compatible with ", shape_str(m.sizes));
}

struct Capture {
  Node* node;
  uint32_t input_nr;
};

// Node -> per-run id (0, 1, 2, ... in discovery order): an open-addressing table, so a run makes
// one allocation for it instead of one per node; everything else per node is a vector by id.
class NodeIds {
 public:
  static constexpr int kNone = -1;
  // The id of n, adding it if new (`added` says which).
  int insert(Node* n, bool& added) {
    if ((count_ + 1) * 2 > slots_.size()) grow();
    size_t i = slot_of(n);
    added = slots_[i].node == nullptr;
    if (added) slots_[i] = {n, static_cast<int>(count_++)};
    return slots_[i].id;
  }
  int find(Node* n) const {
    if (slots_.empty()) return kNone;
    const Slot& s = slots_[slot_of(n)];
    return s.node ? s.id : kNone;
  }

 private:
  struct Slot {
    Node* node = nullptr;
    int id = kNone;
  };
  size_t slot_of(Node* n) const {
    const size_t mask = slots_.size() - 1;
    size_t i = (reinterpret_cast<uintptr_t>(n) >> 4) * 0x9E3779B97F4A7C15ull >> 20 & mask;
    while (slots_[i].node && slots_[i].node != n) i = (i + 1) & mask;
    return i;
  }
  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
    for (const Slot& s : old)
      if (s.node) slots_[slot_of(s.node)] = s;
  }
  std::vector<Slot> slots_;
  size_t count_ = 0;
};

// Runs the graph. With `captures` non-empty this is autograd::grad: captured gradients are
// returned and AccumulateGrad nodes do not run.
variable_list run(const std::vector<Edge>& roots, const variable_list& root_grads, bool keep_graph, bool create_graph,
                  const std::vector<Capture>& captures) {
  const bool grad_mode = !captures.empty();
  // 1. Collect the graph reachable from the roots; order[id] is the node with that id.
  std::vector<Node*> order;
  NodeIds ids;
  std::vector<Node*> stack;
  auto visit = [&](Node* n) {
    bool added = false;
    ids.insert(n, added);
    if (added) {
      order.push_back(n);
      stack.push_back(n);
    }
  };
  for (const auto& e : roots)
    if (e.fn) visit(e.fn.get());
  while (!stack.empty()) {
    Node* n = stack.back();
    stack.pop_back();
    for (const auto& e : n->next_edges())
      if (e.fn) visit(e.fn.get());
  }
  const size_t n_nodes = order.size();
  auto id_of = [&](Node* n) { return static_cast<size_t>(ids.find(n)); };
  // 2. In grad mode, keep only nodes from which a captured node is reachable.
  std::vector<char> needed(n_nodes, grad_mode ? 0 : 1);
  std::vector<char> is_capture(n_nodes, 0);
  if (grad_mode) {
    std::vector<std::vector<size_t>> parents(n_nodes);
    for (size_t i = 0; i < n_nodes; ++i)
      for (const auto& e : order[i]->next_edges())
        if (e.fn) parents[id_of(e.fn.get())].push_back(i);
    std::vector<size_t> work;
    for (const auto& c : captures) {
      int id = ids.find(c.node);
      if (id == NodeIds::kNone) continue;
      is_capture[static_cast<size_t>(id)] = 1;
      if (!needed[static_cast<size_t>(id)]) {
        needed[static_cast<size_t>(id)] = 1;
        work.push_back(static_cast<size_t>(id));
      }
    }
    while (!work.empty()) {
      size_t n = work.back();
      work.pop_back();
      for (size_t p : parents[n])
        if (!needed[p]) {
          needed[p] = 1;
          work.push_back(p);
        }
    }
  }
  // 3. Dependency counts among needed nodes.
  std::vector<int> deps(n_nodes, 0);
  for (size_t i = 0; i < n_nodes; ++i) {
    if (!needed[i]) continue;
    for (const auto& e : order[i]->next_edges())
      if (e.fn && needed[id_of(e.fn.get())]) ++deps[id_of(e.fn.get())];
  }
  std::vector<variable_list> buffers(n_nodes);
  auto slot_of = [&](size_t id, uint32_t input_nr) -> Tensor& {
    auto& b = buffers[id];
    if (b.size() < order[id]->output_meta().size()) b.resize(order[id]->output_meta().size());
    if (b.size() <= input_nr) b.resize(input_nr + 1);
    return b[input_nr];
  };
  auto cmp = [](Node* a, Node* b) { return a->sequence_nr() < b->sequence_nr(); };
  std::vector<Node*> heap_storage;
  heap_storage.reserve(n_nodes);
  std::priority_queue<Node*, std::vector<Node*>, decltype(cmp)> ready(cmp, std::move(heap_storage));
  std::vector<char> queued(n_nodes, 0);
  // Keep root nodes alive for the whole run.
  std::vector<std::shared_ptr<Node>> keep_alive;
  for (size_t i = 0; i < roots.size(); ++i) {
    if (!roots[i].fn) continue;
    keep_alive.push_back(roots[i].fn);
    size_t id = id_of(roots[i].fn.get());
    if (needed[id]) accumulate(slot_of(id, roots[i].input_nr), root_grads[i]);
  }
  for (const auto& e : roots) {
    if (!e.fn) continue;
    size_t id = id_of(e.fn.get());
    if (needed[id] && deps[id] == 0 && !queued[id]) {
      queued[id] = 1;
      ready.push(e.fn.get());
    }
  }

  std::map<std::pair<Node*, uint32_t>, Tensor> captured;

  GradModeScope gm(create_graph);
  while (!ready.empty()) {
    Node* node = ready.top();
    ready.pop();
    const size_t id = id_of(node);
    std::shared_ptr<Node> hold = node->shared_from_this();
    variable_list grads = std::move(buffers[id]);
    if (grads.size() < node->output_meta().size()) grads.resize(node->output_meta().size());
    // Tensor hooks, then retain_grad (which sees the hooked gradient), as PyTorch.
    for (auto& [hook_id, nr, hook] : node->pre_hooks()) {
      if (nr < grads.size() && grads[nr].defined()) {
        Tensor r = hook(grads[nr]);
        if (r.defined()) grads[nr] = r;
      }
    }
    // typeid, not dynamic_cast: AccumulateGrad has no subclasses, and this runs once per node.
    AccumulateGrad* acc = typeid(*node) == typeid(AccumulateGrad) ? static_cast<AccumulateGrad*>(node) : nullptr;
    if (acc) {
      for (auto& [hook_id, hook] : acc->variable()->leaf_hooks) {
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
    if (is_capture[id]) {
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
      if (!e.fn) continue;
      const size_t next = id_of(e.fn.get());
      if (!needed[next]) continue;
      validate(e.fn.get(), e.input_nr, outs[i], node);
      accumulate(slot_of(next, e.input_nr), outs[i]);
      if (--deps[next] == 0 && !queued[next]) {
        queued[next] = 1;
        ready.push(e.fn.get());
      }
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
