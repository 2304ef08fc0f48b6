// The public safetensors API: save_file/load_file/load_metadata and the in-memory forms. It turns
// the internal FormatError into wick::Error naming the function, the file and the byte offset.
// Layout, validation and file access live in format.cpp and file_io.cpp.
#include "wick/serialize/safetensors.h"

#include <cstring>

#include "file_io.h"
#include "format.h"

namespace wick {
namespace {

using serialize_detail::ByteSource;
using serialize_detail::FormatError;

class MemorySource : public ByteSource {
 public:
  explicit MemorySource(const std::vector<uint8_t>& bytes) : bytes_(bytes) {}
  uint64_t size() const override { return bytes_.size(); }
  void read(uint64_t offset, void* dst, size_t n) override {
    // Callers stay in bounds after validation; this check keeps a bug from becoming an overread.
    WICK_CHECK(offset <= bytes_.size() && n <= bytes_.size() - offset,
               "safetensors: internal read out of bounds");
    std::memcpy(dst, bytes_.data() + offset, n);
  }

 private:
  const std::vector<uint8_t>& bytes_;
};

[[noreturn]] void rethrow(const std::string& where, const FormatError& e) {
  if (e.offset) WICK_FAIL(where, ": ", e.what, " (at byte ", *e.offset, ")");
  WICK_FAIL(where, ": ", e.what);
}

// Runs `body` on the file's bytes, reporting malformed input as "<fn>('<path>'): ...".
template <typename F>
auto with_file(const char* fn, const std::string& path, F&& body) {
  std::string where = std::string(fn) + "('" + path + "')";
  try {
    serialize_detail::FileSource src(path);
    return body(src);
  } catch (const FormatError& e) {
    rethrow(where, e);
  }
}

template <typename F>
auto with_bytes(const char* fn, const std::vector<uint8_t>& bytes, F&& body) {
  try {
    MemorySource src(bytes);
    return body(src);
  } catch (const FormatError& e) {
    rethrow(fn, e);
  }
}

nn::StateDict read_all(ByteSource& src) {
  return serialize_detail::read_tensors(src, serialize_detail::read_header(src));
}
Metadata read_metadata(ByteSource& src) { return serialize_detail::read_header(src).metadata; }

}  // namespace

void save_file(const nn::StateDict& tensors, const std::string& path, const Metadata& metadata) {
  std::string where = "save_file('" + path + "')";
  serialize_detail::write_atomically(path, serialize_detail::encode(tensors, metadata, where),
                                     where);
}

nn::StateDict load_file(const std::string& path) { return with_file("load_file", path, read_all); }

Metadata load_metadata(const std::string& path) {
  return with_file("load_metadata", path, read_metadata);
}

std::vector<uint8_t> serialize_safetensors(const nn::StateDict& tensors, const Metadata& metadata) {
  auto enc = serialize_detail::encode(tensors, metadata, "serialize_safetensors");
  std::vector<uint8_t> out;
  out.reserve(enc.total_size());
  out.insert(out.end(), enc.header.begin(), enc.header.end());
  for (const Tensor& t : enc.data) {
    const auto* p = static_cast<const uint8_t*>(t.data_ptr());
    out.insert(out.end(), p, p + t.nbytes());
  }
  return out;
}

nn::StateDict deserialize_safetensors(const std::vector<uint8_t>& bytes) {
  return with_bytes("deserialize_safetensors", bytes, read_all);
}

Metadata deserialize_safetensors_metadata(const std::vector<uint8_t>& bytes) {
  return with_bytes("deserialize_safetensors_metadata", bytes, read_metadata);
}

}  // namespace wick
