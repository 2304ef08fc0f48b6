// custom_module: the seeds' hand-written modules in Wick (shared/seeds/003): the MLP, MyLayer
// (x - x.mean()), MyListDense and MyDictDense over ParameterList/ParameterDict, a Conv2D built on
// corr2d that learns an edge-detection kernel (d2l 6.2), the seed's LeNet-like Net with functional
// pooling, and a custom autograd Function. Each part prints what the Python prints.
#include <cstdio>
#include <iostream>

#include "wick/wick.h"

using namespace wick;
namespace F = nn::functional;

// ---- Python: class MLP(nn.Module) ----
struct MLPImpl : nn::Module {
  nn::Linear hidden = register_module("hidden", nn::Linear(784, 256));
  nn::ReLU act = register_module("act", nn::ReLU());
  nn::Linear output = register_module("output", nn::Linear(256, 10));
  Tensor forward(const Tensor& x) { return output(act(hidden(x))); }
};
WICK_MODULE(MLP);

// ---- a layer without parameters: centres its input ----
struct MyLayerImpl : nn::Module {
  Tensor forward(const Tensor& x) { return x - x.mean(); }
};
WICK_MODULE(MyLayer);

// ---- ParameterList: x @ W0 @ W1 @ W2 @ W3 ----
struct MyListDenseImpl : nn::Module {
  nn::ParameterList params = register_module("params", nn::ParameterList());
  MyListDenseImpl() {
    for (int i = 0; i < 3; ++i) params->append(randn({4, 4}));
    params->append(randn({4, 1}));
  }
  Tensor forward(Tensor x) {
    for (const Tensor& p : *params) x = mm(x, p);
    return x;
  }
};
WICK_MODULE(MyListDense);

// ---- ParameterDict: pick the weight by name ----
struct MyDictDenseImpl : nn::Module {
  nn::ParameterDict params =
      register_module("params", nn::ParameterDict({{"linear1", randn({4, 4})}, {"linear2", randn({4, 1})}}));
  MyDictDenseImpl() { params->insert("linear3", randn({4, 2})); }
  Tensor forward(const Tensor& x, const std::string& choice = "linear1") { return mm(x, params[choice]); }
};
WICK_MODULE(MyDictDense);

// ---- d2l 6.2: two-dimensional cross-correlation and a Conv2D built on it ----
// X (H, W), K (h, w) -> Y (H - h + 1, W - w + 1), written with Tensor ops so autograd follows.
Tensor corr2d(const Tensor& X, const Tensor& K) {
  const int64_t h = K.size(0), w = K.size(1);
  std::vector<Tensor> rows;
  for (int64_t i = 0; i + h <= X.size(0); ++i) {
    std::vector<Tensor> row;
    for (int64_t j = 0; j + w <= X.size(1); ++j) row.push_back((X.narrow(0, i, h).narrow(1, j, w) * K).sum());
    rows.push_back(stack(row));
  }
  return stack(rows);
}

struct Conv2DImpl : nn::Module {
  explicit Conv2DImpl(std::vector<int64_t> kernel_size)
      : weight(register_parameter("weight", randn(kernel_size))), bias(register_parameter("bias", randn({1}))) {}
  Tensor forward(const Tensor& x) { return corr2d(x, weight) + bias; }
  Tensor weight, bias;
};
WICK_MODULE(Conv2D);

// ---- the seed's Net: conv -> relu -> max pool, twice, then three Linear layers ----
struct NetImpl : nn::Module {
  nn::Conv2d conv1 = register_module("conv1", nn::Conv2d(1, 6, 5));
  nn::Conv2d conv2 = register_module("conv2", nn::Conv2d(6, 16, 5));
  nn::Linear fc1 = register_module("fc1", nn::Linear(16 * 5 * 5, 120));
  nn::Linear fc2 = register_module("fc2", nn::Linear(120, 84));
  nn::Linear fc3 = register_module("fc3", nn::Linear(84, 10));
  Tensor forward(Tensor x) {
    x = F::max_pool2d(F::relu(conv1(x)), {2, 2});
    x = F::max_pool2d(F::relu(conv2(x)), 2);
    x = x.view({-1, x[0].numel()});
    x = F::relu(fc1(x));
    x = F::relu(fc2(x));
    return fc3(x);
  }
};
WICK_MODULE(Net);

// ---- a custom autograd Function: y = exp(x), backward reuses the saved output ----
struct Exp : autograd::Function<Exp> {
  static Tensor forward(autograd::AutogradContext* ctx, const Tensor& x) {
    Tensor y = x.exp();
    ctx->save_for_backward({y});
    return y;
  }
  static autograd::variable_list backward(autograd::AutogradContext* ctx, const autograd::variable_list& g) {
    return {g[0] * ctx->get_saved_variables()[0]};
  }
};

int main() {
  manual_seed(0);
  MLP mlp;
  std::cout << mlp << "\n" << mlp(rand({2, 784})) << "\n\n";

  MyLayer layer;
  std::cout << layer(tensor({1.0, 2.0, 3.0, 4.0, 5.0})) << "\n\n";

  MyListDense list_dense;
  std::cout << list_dense << "\n" << list_dense(ones({1, 4})) << "\n\n";
  MyDictDense dict_dense;
  std::cout << dict_dense << "\n";
  for (const char* choice : {"linear1", "linear2", "linear3"})
    std::cout << choice << ": " << dict_dense->forward(ones({1, 4}), choice) << "\n";
  std::cout << "\n";

  // d2l 6.2.3: learn the kernel [1, -1] that detects vertical edges in a 6x8 image.
  Tensor X = ones({6, 8});
  X.index_put_({Slice(), Slice(2, 6)}, 0.0);
  Tensor K = tensor({{1.0, -1.0}});
  Tensor Y = corr2d(X, K);
  Conv2D conv(std::vector<int64_t>{1, 2});
  for (int i = 0; i < 10; ++i) {
    Tensor loss = (conv(X) - Y).pow(2).sum();
    conv->zero_grad();
    loss.backward();
    {
      NoGradGuard no_grad;
      conv->weight.sub_(conv->weight.grad() * 3e-2);
      conv->bias.sub_(conv->bias.grad() * 3e-2);
    }
    if ((i + 1) % 2 == 0) std::printf("epoch %d, loss %.3f\n", i + 1, loss.item<double>());
  }
  std::cout << "learned kernel " << conv->weight.detach() << "\n\n";

  Net net;
  std::cout << net << "\n" << net(randn({1, 1, 32, 32})).sizes() << "\n\n";

  Tensor x = tensor({0.5, 1.0}, {.requires_grad = true});
  Tensor y = Exp::apply(x);
  y.sum().backward();
  std::cout << "Exp(x) = " << y.detach() << ", grad " << x.grad() << "\n";
  return 0;
}
