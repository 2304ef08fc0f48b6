// The safetensors layout shared by the file and in-memory readers/writers (internal): header
// encoding, strict header validation, and copying tensor bytes in and out.
// It does not touch the file system (file_io.cpp does) or format user-facing errors
// (safetensors.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "json.h"
#include "wick/serialize/safetensors.h"

namespace wick::serialize_detail {

// Headers above this are refused before allocating (the reference implementation's limit too).
constexpr uint64_t kMaxHeaderSize = 100'000'000;

// Random access to the bytes of a file or buffer; read() is only called within [0, size()).
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual uint64_t size() const = 0;
  virtual void read(uint64_t offset, void* dst, size_t n) = 0;
};

struct TensorEntry {
  std::string name;
  DType dtype = kFloat32;
  std::vector<int64_t> shape;
  uint64_t begin = 0, end = 0;  // relative to the start of the data section
};

struct Header {
  std::vector<TensorEntry> tensors;  // in header order
  Metadata metadata;
  uint64_t data_start = 0;  // absolute offset of the data section: 8 + header length
};

// Validates the whole layout (sizes, JSON, dtypes, shapes, offsets, coverage); throws FormatError.
Header read_header(ByteSource& src);
// Reads every tensor of a validated header; throws FormatError (e.g. a BOOL byte other than 0/1).
nn::StateDict read_tensors(ByteSource& src, const Header& header);

// A state dict laid out for writing: `header` is the length prefix, the JSON and its padding;
// `data` holds contiguous CPU tensors whose bytes follow in order.
struct Encoded {
  std::string header;
  std::vector<Tensor> data;
  uint64_t total_size() const;
};
// `fn` names the caller in errors (wick::Error: bad keys, undefined tensors, invalid UTF-8).
Encoded encode(const nn::StateDict& tensors, const Metadata& metadata, const std::string& fn);

}  // namespace wick::serialize_detail
