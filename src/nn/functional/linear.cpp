// linear/bilinear as matmuls; shape checks name the function and both shapes, as PyTorch does.
#include "wick/nn/functional/linear.h"

#include "wick/ops/linalg.h"
#include "wick/ops/pointwise.h"
#include "wick/ops/reduction.h"

namespace wick::nn::functional {

Tensor linear(const Tensor& input, const Tensor& weight, const Tensor& bias) {
  WICK_CHECK(weight.dim() == 2, "linear(): expected a 2-D weight (out_features, in_features), got ",
             weight.sizes());
  WICK_CHECK(input.dim() >= 1 && input.size(-1) == weight.size(1),
             "linear(): input and weight shapes cannot be multiplied (", input.sizes(), " and ",
             weight.sizes(),
             "): the last dimension of input must equal weight.size(1) = ", weight.size(1));
  if (bias.defined()) {
    WICK_CHECK(bias.dim() == 1 && bias.size(0) == weight.size(0),
               "linear(): expected bias of shape [", weight.size(0), "], got ", bias.sizes());
    // As PyTorch: the bias goes into the GEMM (addmm, beta = 1) for a matrix input and for a
    // contiguous 3-d one folded to a matrix, so the nodes are AddmmBackward0 / ViewBackward0.
    if (input.dim() == 2) return addmm(bias, input, weight.t());
    if (input.dim() == 3 && input.is_contiguous())
      return addmm(bias, input.view({-1, input.size(2)}), weight.t())
          .view({input.size(0), input.size(1), -1});
  }
  Tensor out = matmul(input, weight.t());
  return bias.defined() ? out + bias : out;
}

Tensor bilinear(const Tensor& input1, const Tensor& input2, const Tensor& weight,
                const Tensor& bias) {
  WICK_CHECK(input1.dim() == input2.dim(), "bilinear(): input dimensions do not match: got ",
             input1.dim(), " and ", input2.dim());
  WICK_CHECK(input1.dim() >= 1, "bilinear(): expected inputs with at least 1 dimension");
  for (int64_t d = 0; d + 1 < input1.dim(); ++d)
    WICK_CHECK(input1.size(d) == input2.size(d),
               "bilinear(): input batch dimensions do not match: got ", input1.sizes(), " and ",
               input2.sizes());
  WICK_CHECK(weight.dim() == 3, "bilinear(): expected a 3-D weight (out, in1, in2), got ",
             weight.sizes());
  WICK_CHECK(input1.size(-1) == weight.size(1),
             "bilinear(): input1 size does not match weight size: got ", input1.size(-1),
             " but expected ", weight.size(1));
  WICK_CHECK(input2.size(-1) == weight.size(2),
             "bilinear(): input2 size does not match weight size: got ", input2.size(-1),
             " but expected ", weight.size(2));
  int64_t out_f = weight.size(0), in1 = weight.size(1), in2 = weight.size(2);
  Shape batch(input1.sizes().begin(), input1.sizes().end() - 1);
  Tensor x1 = input1.reshape({-1, in1}), x2 = input2.reshape({-1, in2});  // (N, in1), (N, in2)
  // (N, in1) @ (in1, out*in2) -> (N, out, in2), then contract in2 against x2.
  Tensor w = weight.permute({1, 0, 2}).reshape({in1, out_f * in2});
  Tensor t = matmul(x1, w).view({-1, out_f, in2});
  Tensor out = (t * x2.unsqueeze(1)).sum({2});  // (N, out)
  if (bias.defined()) {
    WICK_CHECK(bias.dim() == 1 && bias.size(0) == out_f, "bilinear(): expected bias of shape [",
               out_f, "], got ", bias.sizes());
    out = out + bias;
  }
  batch.push_back(out_f);
  return out.reshape(batch);
}

}  // namespace wick::nn::functional
