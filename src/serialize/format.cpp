// The safetensors layout: encoding a state dict into header + tensor list, and strictly validating
// a header before any tensor is read (every offset checked against the real size first).
// Data is little-endian on disk; Wick only builds for little-endian hosts, so bytes copy as they
// are.
#include "format.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <numeric>

#include "wick/ops/creation.h"

namespace wick::serialize_detail {

static_assert(std::endian::native == std::endian::little,
              "safetensors I/O assumes a little-endian host");

namespace {

struct DTypeName {
  const char* name;
  DType dtype;
};
constexpr DTypeName kDTypes[] = {{"F64", kFloat64},   {"F32", kFloat32}, {"F16", kFloat16},
                                 {"BF16", kBFloat16}, {"I64", kInt64},   {"I32", kInt32},
                                 {"U8", kUInt8},      {"BOOL", kBool}};
// Valid safetensors dtypes that Wick has no tensor type for, with torch's names for the message.
constexpr const char* kUnsupported[][2] = {{"I8", "int8"},
                                           {"I16", "int16"},
                                           {"U16", "uint16"},
                                           {"U32", "uint32"},
                                           {"U64", "uint64"},
                                           {"F8_E4M3", "float8_e4m3fn"},
                                           {"F8_E5M2", "float8_e5m2"},
                                           {"C64", "complex64"}};

const char* safetensors_dtype(DType t) {
  for (const auto& d : kDTypes)
    if (d.dtype == t) return d.name;
  WICK_FAIL("safetensors: no name for dtype ", dtype_name(t));
}

DType parse_dtype(const JsonValue& v, const std::string& tensor) {
  if (v.kind != JsonValue::Kind::String)
    throw FormatError{"tensor \"" + tensor + "\": dtype must be a string, got " + kind_name(v.kind),
                      v.offset};
  for (const auto& d : kDTypes)
    if (v.text == d.name) return d.dtype;
  for (const auto& u : kUnsupported)
    if (v.text == u[0])
      throw FormatError{
          "tensor \"" + tensor + "\": dtype " + v.text + " (torch." + u[1] +
              ") is not supported by Wick (supported: F64, F32, F16, BF16, I64, I32, U8, BOOL)",
          v.offset};
  throw FormatError{"tensor \"" + tensor + "\": unknown dtype \"" + v.text + "\"", v.offset};
}

// An array of non-negative integers (a shape or data_offsets).
std::vector<uint64_t> parse_uint_array(const JsonValue& v, const std::string& tensor,
                                       const char* field) {
  std::string where = "tensor \"" + tensor + "\": " + field;
  if (v.kind != JsonValue::Kind::Array)
    throw FormatError{where + " must be an array, got " + kind_name(v.kind), v.offset};
  std::vector<uint64_t> out;
  for (const auto& item : v.items) {
    if (item.kind != JsonValue::Kind::Number || !item.uint)
      throw FormatError{
          where + " must hold non-negative integers, got " +
              (item.kind == JsonValue::Kind::Number ? item.text
                                                    : std::string(kind_name(item.kind))),
          item.offset};
    out.push_back(*item.uint);
  }
  return out;
}

std::string shape_str(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

TensorEntry parse_entry(const std::string& name, const JsonValue& v, uint64_t data_size) {
  if (v.kind != JsonValue::Kind::Object)
    throw FormatError{"tensor \"" + name + "\": expected an object, got " + kind_name(v.kind),
                      v.offset};
  const JsonValue *dtype = nullptr, *shape = nullptr, *offsets = nullptr;
  for (const auto& [key, child] : v.members) {
    if (key == "dtype")
      dtype = &child;
    else if (key == "shape")
      shape = &child;
    else if (key == "data_offsets")
      offsets = &child;
    else
      throw FormatError{"tensor \"" + name + "\": unknown field \"" + key + "\"", child.offset};
  }
  for (auto [field, p] : {std::pair{"dtype", dtype}, {"shape", shape}, {"data_offsets", offsets}})
    if (!p) throw FormatError{"tensor \"" + name + "\": missing \"" + field + "\"", v.offset};

  TensorEntry e;
  e.name = name;
  e.dtype = parse_dtype(*dtype, name);
  // numel * itemsize, refusing overflow (a huge shape can only be a mismatch, never a tensor).
  uint64_t nbytes = itemsize(e.dtype), nonzero_bytes = nbytes;
  bool overflow = false, too_large = false;
  for (uint64_t d : parse_uint_array(*shape, name, "shape")) {
    if (d > static_cast<uint64_t>(INT64_MAX))
      throw FormatError{"tensor \"" + name + "\": dimension " + std::to_string(d) + " is too large",
                        shape->offset};
    e.shape.push_back(static_cast<int64_t>(d));
    if (d != 0 && nbytes > UINT64_MAX / d) overflow = true;
    nbytes *= d;
    if (d != 0 && nonzero_bytes > static_cast<uint64_t>(INT64_MAX) / d) too_large = true;
    if (d != 0) nonzero_bytes *= d;
  }
  if (std::find(e.shape.begin(), e.shape.end(), 0) != e.shape.end()) {
    // An empty tensor, but not one whose other sizes multiply past int64: PyTorch refuses to make
    // it ("Storage size calculation overflowed"), and so does Wick.
    if (too_large)
      throw FormatError{"tensor \"" + name + "\": shape " + shape_str(e.shape) + " of " +
                            dtype->text + " is too large for a tensor (its other sizes need more" +
                            " than 2^63 bytes)",
                        shape->offset};
    nbytes = 0;
    overflow = false;
  }
  std::vector<uint64_t> off = parse_uint_array(*offsets, name, "data_offsets");
  if (off.size() != 2)
    throw FormatError{"tensor \"" + name + "\": data_offsets must be [begin, end], got " +
                          std::to_string(off.size()) + " numbers",
                      offsets->offset};
  e.begin = off[0];
  e.end = off[1];
  if (e.begin > e.end)
    throw FormatError{"tensor \"" + name + "\": data_offsets [" + std::to_string(e.begin) + ", " +
                          std::to_string(e.end) + "] end before they begin",
                      offsets->offset};
  if (overflow || e.end - e.begin != nbytes)
    throw FormatError{"tensor \"" + name + "\": data_offsets [" + std::to_string(e.begin) + ", " +
                          std::to_string(e.end) + "] hold " + std::to_string(e.end - e.begin) +
                          " bytes but shape " + shape_str(e.shape) + " of " + dtype->text +
                          " needs " +
                          (overflow ? std::string("more than 2^64") : std::to_string(nbytes)),
                      offsets->offset};
  if (e.end > data_size)
    throw FormatError{"tensor \"" + name + "\": data_offsets [" + std::to_string(e.begin) + ", " +
                          std::to_string(e.end) + "] are out of bounds: the data section holds " +
                          std::to_string(data_size) + " bytes",
                      offsets->offset};
  return e;
}

Metadata parse_metadata(const JsonValue& v) {
  if (v.kind != JsonValue::Kind::Object)
    throw FormatError{std::string("__metadata__ must be an object, got ") + kind_name(v.kind),
                      v.offset};
  Metadata out;
  for (const auto& [key, child] : v.members) {
    if (child.kind != JsonValue::Kind::String)
      throw FormatError{
          "__metadata__[\"" + key + "\"] must be a string, got " + kind_name(child.kind),
          child.offset};
    out[key] = child.text;
  }
  return out;
}

// The tensors, sorted by position, must tile the data section exactly: no overlap, gap or tail.
void check_coverage(const std::vector<TensorEntry>& tensors, uint64_t data_start,
                    uint64_t data_size) {
  std::vector<size_t> order(tensors.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return std::pair(tensors[a].begin, tensors[a].end) <
           std::pair(tensors[b].begin, tensors[b].end);
  });
  uint64_t cursor = 0;
  const TensorEntry* prev = nullptr;
  for (size_t i : order) {
    const TensorEntry& e = tensors[i];
    if (e.begin < cursor)
      throw FormatError{"tensor \"" + e.name + "\" (bytes " + std::to_string(e.begin) + ".." +
                            std::to_string(e.end) + ") overlaps tensor \"" + prev->name +
                            "\" (bytes " + std::to_string(prev->begin) + ".." +
                            std::to_string(prev->end) + ")",
                        data_start + e.begin};
    if (e.begin > cursor)
      throw FormatError{"data bytes " + std::to_string(cursor) + ".." + std::to_string(e.begin) +
                            " belong to no tensor (gap before tensor \"" + e.name + "\")",
                        data_start + cursor};
    cursor = e.end;
    if (e.end > e.begin) prev = &e;
  }
  if (cursor != data_size)
    throw FormatError{"data section holds " + std::to_string(data_size) +
                          " bytes but the tensors cover only " + std::to_string(cursor) +
                          " (trailing bytes belong to no tensor)",
                      data_start + cursor};
}

}  // namespace

Header read_header(ByteSource& src) {
  uint64_t size = src.size();
  if (size < 8)
    throw FormatError{
        "file is " + std::to_string(size) + " bytes, shorter than the 8-byte header length", 0};
  unsigned char len_bytes[8];
  src.read(0, len_bytes, 8);
  uint64_t n = 0;
  for (int k = 7; k >= 0; --k) n = (n << 8) | len_bytes[k];
  if (n > kMaxHeaderSize)
    throw FormatError{"header length " + std::to_string(n) + " is absurd (limit " +
                          std::to_string(kMaxHeaderSize) + "); not a safetensors file?",
                      0};
  if (n > size - 8)
    throw FormatError{"header length " + std::to_string(n) + " runs past the end of the file (" +
                          std::to_string(size - 8) + " bytes follow the length); truncated?",
                      0};
  std::string text(n, '\0');
  if (n) src.read(8, text.data(), n);
  if (n == 0 || text[0] != '{')
    throw FormatError{"header must be a JSON object starting with '{'", 8};
  JsonValue root = parse_json(text, 8);

  Header h;
  h.data_start = 8 + n;
  uint64_t data_size = size - h.data_start;
  for (const auto& [key, child] : root.members) {
    if (key == "__metadata__")
      h.metadata = parse_metadata(child);
    else
      h.tensors.push_back(parse_entry(key, child, data_size));
  }
  check_coverage(h.tensors, h.data_start, data_size);
  return h;
}

nn::StateDict read_tensors(ByteSource& src, const Header& header) {
  nn::StateDict out;
  for (const TensorEntry& e : header.tensors) {
    Tensor t = empty(e.shape, {.dtype = e.dtype, .device = Device(kCPU)});
    size_t n = static_cast<size_t>(e.end - e.begin);
    if (n) src.read(header.data_start + e.begin, t.data_ptr(), n);
    if (e.dtype == kBool) {
      // A bool byte other than 0/1 is undefined behaviour in C++: refuse it rather than load it.
      const auto* p = static_cast<const unsigned char*>(t.data_ptr());
      for (size_t k = 0; k < n; ++k)
        if (p[k] > 1)
          throw FormatError{"tensor \"" + e.name + "\": BOOL byte has value " +
                                std::to_string(p[k]) + " (expected 0 or 1)",
                            header.data_start + e.begin + k};
    }
    out.insert(e.name, t);
  }
  return out;
}

uint64_t Encoded::total_size() const {
  uint64_t n = header.size();
  for (const Tensor& t : data) n += t.nbytes();
  return n;
}

Encoded encode(const nn::StateDict& tensors, const Metadata& metadata, const std::string& fn) {
  Encoded enc;
  std::string json = "{";
  if (!metadata.empty()) {
    json += "\"__metadata__\":{";
    bool first = true;
    for (const auto& [k, v] : metadata) {
      WICK_CHECK(is_valid_utf8(k) && is_valid_utf8(v), fn, ": metadata key \"", k,
                 "\" or its value is not valid UTF-8");
      if (!first) json += ',';
      first = false;
      append_json_string(json, k);
      json += ':';
      append_json_string(json, v);
    }
    json += "},";
  }
  uint64_t offset = 0;
  for (const auto& [name, t] : tensors) {
    WICK_CHECK(name != "__metadata__", fn,
               ": \"__metadata__\" is reserved and cannot name a tensor");
    WICK_CHECK(is_valid_utf8(name), fn, ": tensor name \"", name, "\" is not valid UTF-8");
    WICK_CHECK(t.defined(), fn, ": tensor \"", name, "\" is undefined");
    Tensor c = t.detach();
    if (!c.is_cpu()) c = c.cpu();
    c = c.contiguous();
    append_json_string(json, name);
    json += ":{\"dtype\":\"";
    json += safetensors_dtype(c.dtype());
    json += "\",\"shape\":[";
    for (int64_t d = 0; d < c.dim(); ++d) {
      if (d) json += ',';
      json += std::to_string(c.size(d));
    }
    uint64_t end = offset + c.nbytes();
    json += "],\"data_offsets\":[";
    json += std::to_string(offset);
    json += ',';
    json += std::to_string(end);
    json += "]},";
    offset = end;
    enc.data.push_back(c);
  }
  if (json.back() == ',') json.pop_back();
  json += '}';
  // Pad with spaces so the data section starts 8-byte aligned (as the reference writer does).
  json.append((8 - json.size() % 8) % 8, ' ');
  uint64_t n = json.size();
  enc.header.resize(8);
  for (int k = 0; k < 8; ++k)
    enc.header[static_cast<size_t>(k)] = static_cast<char>((n >> (8 * k)) & 0xFF);
  enc.header += json;
  return enc;
}

}  // namespace wick::serialize_detail
