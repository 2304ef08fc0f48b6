// Fits y = a + b x + c x^2 + d x^3 to noisy samples of sin(x) on [-pi, pi] with autograd and plain
// gradient descent: the C++ twin of PyTorch's "polynomial_autograd" tutorial. No nn, no optim:
// just leaf tensors, a loss, backward() and an update under NoGradGuard.
#include <wick/wick.h>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <numbers>

using namespace wick;

int main() {
  manual_seed(0);  // the same noise, start and output on every run

  // Data: 2000 points, y = sin(x) + small Gaussian noise.
  const int64_t n = 2000;
  Tensor x = linspace(-std::numbers::pi, std::numbers::pi, n);
  Tensor y = x.sin() + 0.05 * randn({n});

  // The powers of x are constants of the problem, so compute them once, outside the graph.
  Tensor x2 = x.pow(2);
  Tensor x3 = x.pow(3);

  // The four weights are leaves: backward() fills their .grad().
  Tensor a = randn({}, {.requires_grad = true});
  Tensor b = randn({}, {.requires_grad = true});
  Tensor c = randn({}, {.requires_grad = true});
  Tensor d = randn({}, {.requires_grad = true});
  std::cout << "start: a = " << a << "\n\n";

  // The MSE's gradient is 2/n times smaller than the summed loss's, so the step can be larger.
  const double learning_rate = 2e-3;
  for (int step = 0; step <= 2000; ++step) {
    Tensor y_pred = a + b * x + c * x2 + d * x3;
    Tensor loss = (y_pred - y).pow(2).mean();  // mean squared error
    if (step % 100 == 0) std::printf("step %4d  mse %.6f\n", step, loss.item<double>());
    if (step == 2000) break;

    loss.backward();

    // The update must not be recorded: it is not part of the model, and autograd refuses in-place
    // writes to leaves that require grad while it is recording.
    {
      NoGradGuard no_grad;
      for (Tensor* w : {&a, &b, &c, &d}) {
        w->sub_(w->grad() * learning_rate);
        w->grad().zero_();  // gradients accumulate across backward() calls unless cleared
      }
    }
  }

  // "+ -0.0003 x^2" reads badly: print each term with its own sign.
  auto term = [](const Tensor& w, const char* power) {
    double v = w.item<double>();
    std::printf(" %c %.4f%s", v < 0 ? '-' : '+', std::abs(v), power);
  };
  std::printf("\nResult: y = %.4f", a.item<double>());
  term(b, " x");
  term(c, " x^2");
  term(d, " x^3");
  std::printf("\n");
  // sin's Taylor series is x - x^3/6: the fit should be close to 0 + 0.85 x + 0 x^2 - 0.09 x^3 on
  // this interval (the least-squares cubic, not the Taylor one).
  std::cout << "d = " << d << "\n";
  return 0;
}
