// CudaBackend's convolution kernels through cuDNN's convolution API: forward (+ bias), backward
// data and backward filter for 1 to 3 spatial dims (1-d runs as 2-d with a unit height). The
// algorithm is searched once per shape/dtype/geometry key (cudnnFind*AlgorithmEx) and cached.
// Asymmetric padding (ConvArgs holds the leading side only) goes through an explicitly padded
// copy of the input. No channels-last, no fused activations.
#include <algorithm>
#include <array>
#include <map>
#include <mutex>
#include <optional>
#include <vector>

#include "cuda_backend.h"
#include "nn_layout.h"
#include "nn_util.h"
#include "wick/cuda_matmul.h"

namespace wick::cuda {

namespace {

using namespace nn;

// ---- geometry: the cuDNN view of one call (nd = 2 or 3 spatial dims) ----
struct Geom {
  int nd = 2;
  std::array<int, 5> x{}, w{}, y{};  // (N, C, *in), (O, C/g, *k), (N, O, *out)
  std::array<int, 3> pad{}, stride{}, dil{};
  int groups = 1;
};

int to_int(int64_t v, const char* what) {
  WICK_CHECK(v >= 0 && v <= INT32_MAX, "conv (CUDA): ", what, " out of cuDNN's int range: ", v);
  return static_cast<int>(v);
}

Geom make_geom(IntArrayRef x, IntArrayRef w, IntArrayRef y, const ConvArgs& a) {
  WICK_CHECK(a.dims >= 1 && a.dims <= 3 && static_cast<int64_t>(x.size()) == a.dims + 2 && w.size() == x.size() &&
                 y.size() == x.size(),
             "conv (CUDA): expected tensors with ", a.dims, " spatial dims");
  Geom g;
  g.nd = a.dims == 1 ? 2 : static_cast<int>(a.dims);
  const int shift = g.nd - static_cast<int>(a.dims);  // 1-d: a leading unit spatial dim
  for (int i = 0; i < 2; ++i) {
    g.x[static_cast<size_t>(i)] = to_int(x[static_cast<size_t>(i)], "size");
    g.w[static_cast<size_t>(i)] = to_int(w[static_cast<size_t>(i)], "size");
    g.y[static_cast<size_t>(i)] = to_int(y[static_cast<size_t>(i)], "size");
  }
  for (int d = 0; d < g.nd; ++d) {
    const auto gd = static_cast<size_t>(d), td = static_cast<size_t>(d + 2);
    g.x[td] = g.w[td] = g.y[td] = 1;
    g.pad[gd] = 0;
    g.stride[gd] = g.dil[gd] = 1;
  }
  for (int64_t d = 0; d < a.dims; ++d) {
    const auto ad = static_cast<size_t>(d), gd = static_cast<size_t>(d + shift), td = gd + 2;
    g.x[td] = to_int(x[ad + 2], "size");
    g.w[td] = to_int(w[ad + 2], "size");
    g.y[td] = to_int(y[ad + 2], "size");
    g.pad[gd] = to_int(a.padding[ad], "padding");
    g.stride[gd] = to_int(a.stride[ad], "stride");
    g.dil[gd] = to_int(a.dilation[ad], "dilation");
  }
  g.groups = to_int(a.groups, "groups");
  // cuDNN's Nd descriptors take int strides: each tensor must stay below 2^31 elements.
  for (IntArrayRef t : {x, w, y}) to_int(numel_of(t), "tensor size (elements)");
  return g;
}

// Spatial axis d of x (N, C, *in), w (O, C/g, *k), y (N, O, *out) under args.
ConvAxis axis(IntArrayRef x, IntArrayRef w, IntArrayRef y, const ConvArgs& a, int64_t d) {
  const auto u = static_cast<size_t>(d);
  return {x[u + 2], w[u + 2], a.padding[u], a.stride[u], a.dilation[u], y[u + 2]};
}

// Whether cuDNN's symmetric padding gives exactly y's spatial sizes.
bool symmetric(IntArrayRef x, IntArrayRef w, IntArrayRef y, const ConvArgs& a) {
  for (int64_t d = 0; d < a.dims; ++d)
    if (!axis(x, w, y, a, d).symmetric()) return false;
  return true;
}

// ---- descriptors (RAII; destroy failures cannot be reported from a destructor) ----
struct TensorDesc {
  cudnnTensorDescriptor_t d = nullptr;
  TensorDesc(const int* dims, int n, cudnnDataType_t t) {
    WICK_CUDNN_CHECK(cudnnCreateTensorDescriptor(&d));
    int strides[5];
    strides[n - 1] = 1;
    for (int i = n - 2; i >= 0; --i) strides[i] = strides[i + 1] * dims[i + 1];
    WICK_CUDNN_CHECK(cudnnSetTensorNdDescriptor(d, t, n, dims, strides));
  }
  ~TensorDesc() { (void)cudnnDestroyTensorDescriptor(d); }
  TensorDesc(const TensorDesc&) = delete;
  TensorDesc& operator=(const TensorDesc&) = delete;
};

struct FilterDesc {
  cudnnFilterDescriptor_t d = nullptr;
  FilterDesc(const int* dims, int n, cudnnDataType_t t) {
    WICK_CUDNN_CHECK(cudnnCreateFilterDescriptor(&d));
    WICK_CUDNN_CHECK(cudnnSetFilterNdDescriptor(d, t, CUDNN_TENSOR_NCHW, n, dims));
  }
  ~FilterDesc() { (void)cudnnDestroyFilterDescriptor(d); }
  FilterDesc(const FilterDesc&) = delete;
  FilterDesc& operator=(const FilterDesc&) = delete;
};

struct ConvDesc {
  cudnnConvolutionDescriptor_t d = nullptr;
  ConvDesc(const Geom& g, cudnnDataType_t compute, cudnnMathType_t math) {
    WICK_CUDNN_CHECK(cudnnCreateConvolutionDescriptor(&d));
    WICK_CUDNN_CHECK(cudnnSetConvolutionNdDescriptor(d, g.nd, g.pad.data(), g.stride.data(), g.dil.data(),
                                                     CUDNN_CROSS_CORRELATION, compute));
    WICK_CUDNN_CHECK(cudnnSetConvolutionGroupCount(d, g.groups));
    WICK_CUDNN_CHECK(cudnnSetConvolutionMathType(d, math));
  }
  ~ConvDesc() { (void)cudnnDestroyConvolutionDescriptor(d); }
  ConvDesc(const ConvDesc&) = delete;
  ConvDesc& operator=(const ConvDesc&) = delete;
};

struct Types {
  cudnnDataType_t data, compute;
  cudnnMathType_t math;
};

Types types_of(DType t) {
  switch (t) {
    case kFloat32:
      // FMA math keeps float32 out of TF32 tensor cores (torch.backends.cudnn.allow_tf32 = False).
      return {CUDNN_DATA_FLOAT, CUDNN_DATA_FLOAT, cudnn_allow_tf32() ? CUDNN_DEFAULT_MATH : CUDNN_FMA_MATH};
    case kFloat64: return {CUDNN_DATA_DOUBLE, CUDNN_DATA_DOUBLE, CUDNN_DEFAULT_MATH};
    case kFloat16: return {CUDNN_DATA_HALF, CUDNN_DATA_FLOAT, CUDNN_TENSOR_OP_MATH};
    case kBFloat16: return {CUDNN_DATA_BFLOAT16, CUDNN_DATA_FLOAT, CUDNN_TENSOR_OP_MATH};
    default: WICK_FAIL("conv (CUDA): not implemented for ", dtype_name(t));
  }
}

struct Descs {
  TensorDesc x, y;
  FilterDesc w;
  ConvDesc conv;
  Descs(const Geom& g, const Types& t)
      : x(g.x.data(), g.nd + 2, t.data), y(g.y.data(), g.nd + 2, t.data), w(g.w.data(), g.nd + 2, t.data),
        conv(g, t.compute, t.math) {}
};

// ---- algorithm cache ----
enum class Pass { Forward, BackwardData, BackwardFilter };

struct Choice {
  int algo = 0;
  size_t workspace = 0;
};

using Key = std::vector<int64_t>;

Key make_key(Pass pass, const Geom& g, const Types& t, int device) {
  Key k{static_cast<int64_t>(pass), g.nd, g.groups, static_cast<int64_t>(t.data), static_cast<int64_t>(t.math), device};
  for (int i = 0; i < g.nd + 2; ++i) {
    const auto u = static_cast<size_t>(i);
    k.insert(k.end(), {g.x[u], g.w[u], g.y[u]});
  }
  for (int i = 0; i < g.nd; ++i) {
    const auto u = static_cast<size_t>(i);
    k.insert(k.end(), {g.pad[u], g.stride[u], g.dil[u]});
  }
  return k;
}

std::mutex cache_mu;
std::map<Key, Choice>& cache() {
  static std::map<Key, Choice> m;
  return m;
}

// Search results -> the fastest successful algorithm (cuDNN sorts them by time). Under FMA math
// (no TF32 allowed), results that report tensor-core math are skipped.
template <typename Perf>
Choice pick(const Perf* perf, int n, cudnnMathType_t want, const char* what) {
  for (int i = 0; i < n; ++i) {
    if (perf[i].status != CUDNN_STATUS_SUCCESS) continue;
    if (want == CUDNN_FMA_MATH &&
        (perf[i].mathType == CUDNN_TENSOR_OP_MATH || perf[i].mathType == CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION))
      continue;
    return {static_cast<int>(perf[i].algo), perf[i].memory};
  }
  WICK_FAIL("conv (CUDA): cuDNN found no ", what, " algorithm for this shape");
}

// The largest workspace any candidate wants (heuristics), capped: the search gets that much.
template <typename Perf>
size_t search_workspace(const Perf* perf, int n) {
  constexpr size_t kCap = size_t{1} << 30;
  size_t need = 0;
  for (int i = 0; i < n; ++i)
    if (perf[i].status == CUDNN_STATUS_SUCCESS && perf[i].memory <= kCap) need = std::max(need, perf[i].memory);
  return need;
}

constexpr int kMaxAlgos = 16;

// Scratch for the search: what the candidates want, or (device memory short) none at all, so
// only the algorithms that need no workspace take part.
Workspace search_scratch(size_t want, int device) {
  try {
    return Workspace(std::max<size_t>(want, 1), device);
  } catch (const std::exception&) {
    (void)cudaGetLastError();  // the failed allocation's error must not surface at a later check
    return Workspace(1, device);
  }
}

// Tensors of one call in cuDNN's roles.
struct Buffers {
  void* x;
  void* w;
  void* y;
};

Choice find_algo(Pass pass, cudnnHandle_t h, const Descs& d, const Types& t, const Buffers& b, int device) {
  int n = 0;
  if (pass == Pass::Forward) {
    cudnnConvolutionFwdAlgoPerf_t perf[kMaxAlgos];
    WICK_CUDNN_CHECK(cudnnGetConvolutionForwardAlgorithm_v7(h, d.x.d, d.w.d, d.conv.d, d.y.d, kMaxAlgos, &n, perf));
    Workspace ws = search_scratch(search_workspace(perf, n), device);
    WICK_CUDNN_CHECK(cudnnFindConvolutionForwardAlgorithmEx(h, d.x.d, b.x, d.w.d, b.w, d.conv.d, d.y.d, b.y, kMaxAlgos,
                                                            &n, perf, ws.data(), ws.size()));
    return pick(perf, n, t.math, "forward");
  }
  if (pass == Pass::BackwardData) {
    cudnnConvolutionBwdDataAlgoPerf_t perf[kMaxAlgos];
    WICK_CUDNN_CHECK(cudnnGetConvolutionBackwardDataAlgorithm_v7(h, d.w.d, d.y.d, d.conv.d, d.x.d, kMaxAlgos, &n, perf));
    Workspace ws = search_scratch(search_workspace(perf, n), device);
    WICK_CUDNN_CHECK(cudnnFindConvolutionBackwardDataAlgorithmEx(h, d.w.d, b.w, d.y.d, b.y, d.conv.d, d.x.d, b.x,
                                                                 kMaxAlgos, &n, perf, ws.data(), ws.size()));
    return pick(perf, n, t.math, "backward data");
  }
  cudnnConvolutionBwdFilterAlgoPerf_t perf[kMaxAlgos];
  WICK_CUDNN_CHECK(cudnnGetConvolutionBackwardFilterAlgorithm_v7(h, d.x.d, d.y.d, d.conv.d, d.w.d, kMaxAlgos, &n, perf));
  Workspace ws = search_scratch(search_workspace(perf, n), device);
  WICK_CUDNN_CHECK(cudnnFindConvolutionBackwardFilterAlgorithmEx(h, d.x.d, b.x, d.y.d, b.y, d.conv.d, d.w.d, b.w,
                                                                 kMaxAlgos, &n, perf, ws.data(), ws.size()));
  return pick(perf, n, t.math, "backward filter");
}

// Runs one pass: Forward writes b.y, BackwardData b.x, BackwardFilter b.w (all overwritten).
void run(Pass pass, const Geom& g, DType dtype, const Buffers& b, int device) {
  const Types t = types_of(dtype);
  const Descs d(g, t);
  cudnnHandle_t h = cudnn_handle(device);
  const Key key = make_key(pass, g, t, device);
  Choice c;
  {
    std::lock_guard<std::mutex> lk(cache_mu);
    auto it = cache().find(key);
    if (it == cache().end()) it = cache().emplace(key, find_algo(pass, h, d, t, b, device)).first;
    c = it->second;
  }
  Workspace ws(std::max<size_t>(c.workspace, 1), device);  // never a 0-byte request
  const double one_d = 1, zero_d = 0;
  const float one_f = 1, zero_f = 0;
  const bool dbl = dtype == kFloat64;
  const void* one = dbl ? static_cast<const void*>(&one_d) : &one_f;
  const void* zero = dbl ? static_cast<const void*>(&zero_d) : &zero_f;
  switch (pass) {
    case Pass::Forward:
      WICK_CUDNN_CHECK(cudnnConvolutionForward(h, one, d.x.d, b.x, d.w.d, b.w, d.conv.d,
                                               static_cast<cudnnConvolutionFwdAlgo_t>(c.algo), ws.data(), ws.size(),
                                               zero, d.y.d, b.y));
      break;
    case Pass::BackwardData:
      WICK_CUDNN_CHECK(cudnnConvolutionBackwardData(h, one, d.w.d, b.w, d.y.d, b.y, d.conv.d,
                                                    static_cast<cudnnConvolutionBwdDataAlgo_t>(c.algo), ws.data(),
                                                    ws.size(), zero, d.x.d, b.x));
      break;
    case Pass::BackwardFilter:
      WICK_CUDNN_CHECK(cudnnConvolutionBackwardFilter(h, one, d.x.d, b.x, d.y.d, b.y, d.conv.d,
                                                      static_cast<cudnnConvolutionBwdFilterAlgo_t>(c.algo), ws.data(),
                                                      ws.size(), zero, d.w.d, b.w));
      break;
  }
}

// y (N, O, *out) += bias (O) broadcast.
void add_bias(const Geom& g, const Tensor& y, const Tensor& bias, int device) {
  const Types t = types_of(y.dtype());
  std::array<int, 5> bdims{1, g.y[1], 1, 1, 1};
  const TensorDesc bd(bdims.data(), g.nd + 2, t.data), yd(g.y.data(), g.nd + 2, t.data);
  const double one_d = 1;
  const float one_f = 1;
  const void* one = y.dtype() == kFloat64 ? static_cast<const void*>(&one_d) : &one_f;
  WICK_CUDNN_CHECK(cudnnAddTensor(cudnn_handle(device), one, bd.d, bias.data_ptr(), one, yd.d, y.data_ptr()));
}

// ---- asymmetric padding: an explicitly zero-padded input ----
// A view of contiguous t (N, C, *s) starting at spatial position `start` with spatial sizes `len`.
Tensor spatial_view(const Tensor& t, const std::vector<int64_t>& start, const std::vector<int64_t>& len) {
  Shape sizes{t.size(0), t.size(1)};
  int64_t off = t.storage_offset();
  for (size_t d = 0; d < start.size(); ++d) {
    off += start[d] * t.stride(static_cast<int64_t>(d) + 2);
    sizes.push_back(len[d]);
  }
  return Tensor(
      wick::detail::make_pooled<TensorImpl>(t.impl()->storage, off, sizes, t.strides(), t.dtype()));
}

// The padded input's shape: exactly the extent the output reads, leading padding included.
struct PadPlan {
  Shape padded;                      // (N, C, *E)
  std::vector<int64_t> lead, len;    // overlap: padded[lead : lead + len] = x[0 : len]
  bool empty_overlap = false;
  ConvArgs args;                     // with zero padding
};

PadPlan pad_plan(IntArrayRef x, IntArrayRef w, IntArrayRef y, const ConvArgs& a) {
  PadPlan p;
  p.padded = {x[0], x[1]};
  p.args = a;
  for (int64_t d = 0; d < a.dims; ++d) {
    const ConvAxis ax = axis(x, w, y, a, d);
    p.padded.push_back(ax.extent());
    p.lead.push_back(ax.pad);
    p.len.push_back(ax.overlap());
    p.empty_overlap = p.empty_overlap || ax.overlap() == 0;
    p.args.padding[static_cast<size_t>(d)] = 0;
  }
  return p;
}

Tensor empty(CudaBackend& be, const Shape& shape, const Tensor& like) {
  Storage st = be.allocate(static_cast<size_t>(numel_of(shape)) * like.element_size(), like.device());
  return Tensor(wick::detail::make_pooled<TensorImpl>(st, shape, like.dtype()));
}

Tensor padded_input(CudaBackend& be, const Tensor& x, const PadPlan& p) {
  Tensor xp = empty(be, p.padded, x);
  be.fill_(xp, Scalar(0.0));
  if (!p.empty_overlap) {
    const std::vector<int64_t> origin(p.lead.size(), 0);
    be.copy_(spatial_view(xp, p.lead, p.len), spatial_view(x, origin, p.len));
  }
  return xp;
}

bool any_empty(std::initializer_list<const Tensor*> ts) {
  for (const Tensor* t : ts)
    if (t->numel() == 0) return true;
  return false;
}

}  // namespace

void CudaBackend::conv_forward(const Tensor& out, const Tensor& x, const Tensor& w, const Tensor& bias,
                               const ConvArgs& args) {
  check_contiguous("conv_forward", {&out, &x, &w, &bias});
  if (out.numel() == 0) return;
  const int dev = device_index(out);
  stream_for(out);
  if (any_empty({&x, &w})) {
    // An empty reduction (no input channels): the output is the bias alone.
    fill_(out, Scalar(0.0));
  } else {
    if (symmetric(x.sizes(), w.sizes(), out.sizes(), args)) {
      run(Pass::Forward, make_geom(x.sizes(), w.sizes(), out.sizes(), args), x.dtype(),
          {x.data_ptr(), w.data_ptr(), out.data_ptr()}, dev);
    } else {
      const PadPlan p = pad_plan(x.sizes(), w.sizes(), out.sizes(), args);
      const Tensor xp = padded_input(*this, x, p);
      run(Pass::Forward, make_geom(xp.sizes(), w.sizes(), out.sizes(), p.args), x.dtype(),
          {xp.data_ptr(), w.data_ptr(), out.data_ptr()}, dev);
    }
  }
  if (bias.defined()) add_bias(make_geom(x.sizes(), w.sizes(), out.sizes(), args), out, bias, dev);
}

void CudaBackend::conv_backward_input(const Tensor& grad_x, const Tensor& grad_out, const Tensor& w,
                                      const ConvArgs& args) {
  check_contiguous("conv_backward_input", {&grad_x, &grad_out, &w});
  if (grad_x.numel() == 0) return;
  const int dev = device_index(grad_x);
  stream_for(grad_x);
  if (any_empty({&grad_out, &w})) {
    fill_(grad_x, Scalar(0.0));
    return;
  }
  if (symmetric(grad_x.sizes(), w.sizes(), grad_out.sizes(), args)) {
    run(Pass::BackwardData, make_geom(grad_x.sizes(), w.sizes(), grad_out.sizes(), args), grad_x.dtype(), {grad_x.data_ptr(), w.data_ptr(), grad_out.data_ptr()}, dev);
    return;
  }
  // The gradient of the padded input, cropped back (cells no output reads get 0).
  const PadPlan p = pad_plan(grad_x.sizes(), w.sizes(), grad_out.sizes(), args);
  const Tensor gp = empty(*this, p.padded, grad_x);
  run(Pass::BackwardData, make_geom(gp.sizes(), w.sizes(), grad_out.sizes(), p.args), grad_x.dtype(),
      {gp.data_ptr(), w.data_ptr(), grad_out.data_ptr()}, dev);
  fill_(grad_x, Scalar(0.0));
  if (!p.empty_overlap) {
    const std::vector<int64_t> origin(p.lead.size(), 0);
    copy_(spatial_view(grad_x, origin, p.len), spatial_view(gp, p.lead, p.len));
  }
}

void CudaBackend::conv_backward_weight(const Tensor& grad_w, const Tensor& grad_out, const Tensor& x,
                                       const ConvArgs& args) {
  check_contiguous("conv_backward_weight", {&grad_w, &grad_out, &x});
  if (grad_w.numel() == 0) return;
  const int dev = device_index(grad_w);
  stream_for(grad_w);
  if (any_empty({&grad_out, &x})) {
    fill_(grad_w, Scalar(0.0));
    return;
  }
  if (symmetric(x.sizes(), grad_w.sizes(), grad_out.sizes(), args)) {
    run(Pass::BackwardFilter, make_geom(x.sizes(), grad_w.sizes(), grad_out.sizes(), args), x.dtype(), {x.data_ptr(), grad_w.data_ptr(), grad_out.data_ptr()}, dev);
    return;
  }
  const PadPlan p = pad_plan(x.sizes(), grad_w.sizes(), grad_out.sizes(), args);
  const Tensor xp = padded_input(*this, x, p);
  run(Pass::BackwardFilter, make_geom(xp.sizes(), grad_w.sizes(), grad_out.sizes(), p.args), x.dtype(),
      {xp.data_ptr(), grad_w.data_ptr(), grad_out.data_ptr()}, dev);
}

}  // namespace wick::cuda
