// IDX reader (zlib's gz* functions read gzipped and plain files alike) and the MNIST-family
// datasets over it. Only unsigned-byte IDX files (type 0x08), the one type MNIST uses, are read.
#include "wick/data/mnist.h"

#include <zlib.h>

#include <cstring>
#include <filesystem>
#include <memory>

#include "fused_pipeline.h"
#include "wick/core/error.h"
#include "wick/ops/creation.h"

namespace wick::data {

namespace {

constexpr const char* kFashionHint = "get the data with: apt-get install dataset-fashion-mnist";

struct GzCloser {
  void operator()(gzFile_s* f) const { gzclose(f); }
};
using GzFile = std::unique_ptr<gzFile_s, GzCloser>;

std::string with_hint(const std::string& hint) { return hint.empty() ? "" : " (" + hint + ")"; }

// Reads exactly n bytes (fewer only at the end of the data); throws on a zlib error.
int64_t read_bytes(gzFile f, void* dst, int64_t n, const std::string& path,
                   const std::string& hint) {
  int64_t got = 0;
  auto* p = static_cast<unsigned char*>(dst);
  while (got < n) {
    auto chunk = static_cast<unsigned>(std::min<int64_t>(n - got, int64_t{1} << 30));
    int r = gzread(f, p + got, chunk);
    int errnum = Z_OK;
    const char* msg = gzerror(f, &errnum);
    WICK_CHECK(r >= 0 && (errnum == Z_OK || errnum == Z_STREAM_END), "read_idx_file: ", path,
               ": corrupt compressed data after byte ", got, " of the IDX content: ", msg,
               with_hint(hint));
    if (r == 0) break;
    got += r;
  }
  return got;
}

}  // namespace

Tensor read_idx_file(const std::string& path, const std::string& hint) {
  GzFile f(gzopen(path.c_str(), "rb"));
  WICK_CHECK(f != nullptr && std::filesystem::is_regular_file(path), "read_idx_file: cannot open ",
             path, with_hint(hint));
  unsigned char magic[4] = {0, 0, 0, 0};
  int64_t got = read_bytes(f.get(), magic, 4, path, hint);
  WICK_CHECK(got == 4, "read_idx_file: ", path, ": truncated: the file ends at byte ", got,
             ", inside the 4-byte IDX magic number", with_hint(hint));
  // Magic: two zero bytes, the element type (0x08: unsigned byte) and the number of dims.
  WICK_CHECK(magic[0] == 0 && magic[1] == 0 && magic[2] == 0x08 && magic[3] >= 1 && magic[3] <= 4,
             "read_idx_file: ", path, ": bad magic number ",
             (magic[0] << 24 | magic[1] << 16 | magic[2] << 8 | magic[3]),
             " at byte 0 (expected 2049 for labels or 2051 for images: an unsigned-byte IDX file)",
             with_hint(hint));
  int ndim = magic[3];
  std::vector<int64_t> dims(static_cast<size_t>(ndim));
  int64_t total = 1;
  for (int d = 0; d < ndim; ++d) {
    unsigned char b[4];
    int64_t n = read_bytes(f.get(), b, 4, path, hint);
    WICK_CHECK(n == 4, "read_idx_file: ", path, ": truncated: the file ends at byte ",
               4 + 4 * d + n, ", inside the header (", 4 + 4 * ndim, " bytes)", with_hint(hint));
    dims[static_cast<size_t>(d)] =
        int64_t{b[0]} << 24 | int64_t{b[1]} << 16 | int64_t{b[2]} << 8 | b[3];
    total *= dims[static_cast<size_t>(d)];
  }
  int64_t header = 4 + 4 * int64_t{ndim};
  Tensor out = empty(dims, {.dtype = kUInt8});
  got = read_bytes(f.get(), out.data_ptr(), total, path, hint);
  std::string shape;
  for (int64_t d : dims) shape += (shape.empty() ? "" : " x ") + std::to_string(d);
  WICK_CHECK(got == total, "read_idx_file: ", path, ": truncated: the header promises ", shape,
             " = ", total, " bytes after byte ", header, ", the file has ", got, with_hint(hint));
  unsigned char extra;
  WICK_CHECK(read_bytes(f.get(), &extra, 1, path, hint) == 0, "read_idx_file: ", path,
             ": more data than the header promises (", shape, " = ", total, " bytes after byte ",
             header, ")", with_hint(hint));
  return out;
}

MNIST::MNIST(const std::string& root, MNISTOptions options)
    : MNIST(root, std::move(options), "MNIST",
            {"0 - zero", "1 - one", "2 - two", "3 - three", "4 - four", "5 - five", "6 - six",
             "7 - seven", "8 - eight", "9 - nine"},
            "download the four IDX files from http://yann.lecun.com/exdb/mnist/ into the root "
            "folder") {}

FashionMNIST::FashionMNIST(const std::string& root, MNISTOptions options)
    : MNIST(root, std::move(options), "FashionMNIST",
            {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker",
             "Bag", "Ankle boot"},
            kFashionHint) {}

MNIST::MNIST(const std::string& root, MNISTOptions options, const char* name,
             std::vector<std::string> classes, const char* install_hint)
    : options_(std::move(options)), classes_(std::move(classes)), name_(name) {
  namespace fs = std::filesystem;
  std::string prefix = options_.train ? "train" : "t10k";
  // The file in root or in root/<name>/raw (torchvision's layout), plain or gzipped.
  auto find = [&](const std::string& file) {
    for (const fs::path& dir : {fs::path(root), fs::path(root) / name / "raw"}) {
      for (const char* ext : {"", ".gz"}) {
        fs::path p = dir / (file + ext);
        if (fs::exists(p)) return p.string();
      }
    }
    WICK_FAIL(name, ": cannot find ", file, " or ", file, ".gz in ", root, " (nor in ",
              (fs::path(root) / name / "raw").string(), "); ", install_hint);
  };
  std::string images_path = find(prefix + "-images-idx3-ubyte");
  std::string labels_path = find(prefix + "-labels-idx1-ubyte");
  std::string hint = install_hint;
  data_ = read_idx_file(images_path, hint);
  Tensor labels = read_idx_file(labels_path, hint);
  WICK_CHECK(data_.dim() == 3, name, ": ", images_path,
             ": expected an image file with 3 dims (N, H, W), got ", data_.dim(), " dims (", hint,
             ")");
  WICK_CHECK(labels.dim() == 1, name, ": ", labels_path,
             ": expected a label file with 1 dim (N), got ", labels.dim(), " dims (", hint, ")");
  WICK_CHECK(labels.size(0) == data_.size(0), name, ": ", labels_path, " holds ", labels.size(0),
             " labels but ", images_path, " holds ", data_.size(0), " images (", hint, ")");
  targets_ = labels.to(kInt64);
  const auto* t = targets_.data_ptr<int64_t>();
  for (int64_t i = 0; i < targets_.numel(); ++i) {
    WICK_CHECK(t[i] >= 0 && t[i] < static_cast<int64_t>(classes_.size()), name, ": ", labels_path,
               ": label ", t[i], " at byte ", 8 + i, " is not a class index in [0, ",
               classes_.size(), ") (", hint, ")");
  }
}

int64_t MNIST::check_index(int64_t index) const {
  int64_t n = size();
  WICK_CHECK(index >= -n && index < n, name_, ": index ", index,
             " is out of range for a dataset of size ", n);
  return index < 0 ? index + n : index;
}

Example MNIST::get(int64_t index) const {
  index = check_index(index);
  Tensor image = data_.narrow(0, index, 1);  // (1, H, W) uint8, a view
  Tensor target = targets_.select(0, index);
  return {options_.transform ? options_.transform(image) : image,
          options_.target_transform ? options_.target_transform(target) : target};
}

}  // namespace wick::data

namespace wick::data {

std::optional<Example> MNIST::get_batch(const std::vector<int64_t>& indices) const {
  if (options_.target_transform || indices.empty()) return std::nullopt;
  int64_t h = data_.size(1), w = data_.size(2), b = static_cast<int64_t>(indices.size());
  std::optional<detail::FusedU8Pipeline> fused;
  if (options_.transform) {
    fused = detail::fuse_u8_pipeline(options_.transform, h, w);
    if (!fused) return std::nullopt;
  }
  Tensor target = empty({b}, {.dtype = kInt64});
  const auto* src_t = targets_.data_ptr<int64_t>();
  auto* dst_t = target.data_ptr<int64_t>();
  const auto* images = data_.data_ptr<uint8_t>();
  if (!fused) {  // no transform: the uint8 images, stacked
    Tensor out = empty({b, 1, h, w}, {.dtype = kUInt8});
    auto* dst = out.data_ptr<uint8_t>();
    for (int64_t k = 0; k < b; ++k) {
      int64_t i = check_index(indices[static_cast<size_t>(k)]);
      std::memcpy(dst + k * h * w, images + i * h * w, static_cast<size_t>(h * w));
      dst_t[k] = src_t[i];
    }
    return Example{out, target};
  }
  Tensor out = empty({b, 1, fused->oh, fused->ow}, {.dtype = kFloat32});
  auto* dst = out.data_ptr<float>();
  for (int64_t k = 0; k < b; ++k) {
    int64_t i = check_index(indices[static_cast<size_t>(k)]);
    fused->plane(images + i * h * w, dst + k * fused->oh * fused->ow);
    dst_t[k] = src_t[i];
  }
  return Example{out, target};
}

}  // namespace wick::data
