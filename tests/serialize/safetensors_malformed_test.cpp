// The loader's strictness: crafted bytes for every way a safetensors file can be wrong, each
// rejected with a message naming the problem (and the byte offset), plus exhaustive truncation and
// byte-flip sweeps that must never crash or read out of bounds (run them under WICK_SANITIZE too).
#include <gtest/gtest.h>

#include <string>

#include "serialize/test_util.h"
#include "support/expect_error.h"
#include "wick/wick.h"

namespace wick {
namespace {

using testing::crafted;
using testing::expect_error;

void expect_rejected(const std::vector<uint8_t>& bytes, const std::string& needle) {
  expect_error([&] { deserialize_safetensors(bytes); }, needle);
}

// One F32 tensor "a" of shape [2] with the given data_offsets, in a JSON header.
std::string entry(const std::string& name, const std::string& dtype, const std::string& shape,
                  const std::string& offsets) {
  return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape +
         ",\"data_offsets\":" + offsets + "}";
}

TEST(SafetensorsMalformed, ShorterThanTheLengthPrefix) {
  expect_rejected({1, 2, 3, 4, 5},
                  "file is 5 bytes, shorter than the 8-byte header length (at byte 0)");
  expect_rejected({}, "file is 0 bytes");
}

TEST(SafetensorsMalformed, HeaderLengthPastTheEnd) {
  expect_rejected(crafted("{}", 0, 0, 200),
                  "header length 200 runs past the end of the file (2 bytes follow");
}

TEST(SafetensorsMalformed, AbsurdHeaderLength) {
  expect_rejected(crafted("{}", 0, 0, uint64_t{1} << 40), "header length 1099511627776 is absurd");
  expect_rejected(crafted("{}", 0, 0, UINT64_MAX), "is absurd");
}

TEST(SafetensorsMalformed, InvalidJson) {
  expect_rejected(crafted(R"({"a": })"), "invalid JSON: expected a value (at byte 14)");
  expect_rejected(crafted(R"({"a":{"dtype")"), "unexpected end of JSON, expected ':' (at byte 21)");
  expect_rejected(crafted(R"({"a" 1})"), "invalid JSON: expected ':'");
  expect_rejected(crafted(R"({"a":1,})"), "invalid JSON: expected a string key");
  expect_rejected(crafted(R"({"a":01})"), "leading zero");
  expect_rejected(crafted(R"({"a":"x\q"})"), "unknown escape");
  expect_rejected(crafted("{\"a\":\"x\ny\"}"), "unescaped control character");
  expect_rejected(crafted(R"({"a":"\ud800"})"), "high surrogate without a low one");
  expect_rejected(crafted(R"({"a":"\udc00"})"), "lone low surrogate");
  expect_rejected(crafted(R"({"a":"\u12G4"})"), "bad hex digit");
  expect_rejected(crafted(R"({"a":tru})"), "expected a value");
  expect_rejected(crafted("{} x"), "unexpected character after the JSON value (at byte 11)");
  expect_rejected(crafted("[1]"), "header must be a JSON object starting with '{' (at byte 8)");
  expect_rejected(crafted(""), "header must be a JSON object");
  expect_rejected(crafted(" {}"), "header must be a JSON object");
  expect_rejected(crafted("{\"a\xff\":1}"), "invalid UTF-8 in a string (at byte 11)");
  expect_rejected(crafted("{\"\xed\xa0\x80\":1}"), "invalid UTF-8");  // an encoded surrogate
  std::string deep = "{\"__metadata__\":" + std::string(100, '[') + std::string(100, ']') + "}";
  expect_rejected(crafted(deep), "nested deeper than 64 levels");
}

TEST(SafetensorsMalformed, DuplicateKeys) {
  std::string json =
      "{" + entry("a", "U8", "[1]", "[0,1]") + "," + entry("a", "U8", "[1]", "[1,2]") + "}";
  expect_rejected(crafted(json, 2), "duplicate key \"a\" (at byte 61)");
  expect_rejected(crafted(R"({"__metadata__":{"k":"1","k":"2"}})"), "duplicate key \"k\"");
}

TEST(SafetensorsMalformed, MissingOrUnknownFields) {
  expect_rejected(crafted(R"({"a":{"shape":[1],"data_offsets":[0,1]}})", 1),
                  "tensor \"a\": missing \"dtype\"");
  expect_rejected(crafted(R"({"a":{"dtype":"U8","data_offsets":[0,1]}})", 1),
                  "tensor \"a\": missing \"shape\"");
  expect_rejected(crafted(R"({"a":{"dtype":"U8","shape":[1]}})", 1), "missing \"data_offsets\"");
  expect_rejected(crafted(R"({"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1],"x":0}})", 1),
                  "tensor \"a\": unknown field \"x\"");
  expect_rejected(crafted(R"({"a":[1]})"),
                  "tensor \"a\": expected an object, got an array (at byte 13)");
}

TEST(SafetensorsMalformed, UnknownAndUnsupportedDtypes) {
  expect_rejected(crafted("{" + entry("a", "F31", "[1]", "[0,4]") + "}", 4),
                  "tensor \"a\": unknown dtype \"F31\"");
  expect_rejected(crafted("{" + entry("a", "I16", "[1]", "[0,2]") + "}", 2),
                  "dtype I16 (torch.int16) is not supported by Wick");
  expect_rejected(crafted(R"({"a":{"dtype":5,"shape":[1],"data_offsets":[0,1]}})", 1),
                  "dtype must be a string, got a number");
}

TEST(SafetensorsMalformed, BadShapesAndOffsets) {
  expect_rejected(crafted("{" + entry("a", "U8", "[-1]", "[0,1]") + "}", 1),
                  "tensor \"a\": shape must hold non-negative integers, got -1");
  expect_rejected(crafted("{" + entry("a", "U8", "[1.0]", "[0,1]") + "}", 1), "got 1.0");
  expect_rejected(crafted("{" + entry("a", "U8", "3", "[0,1]") + "}", 1),
                  "shape must be an array, got a number");
  expect_rejected(crafted("{" + entry("a", "U8", "[1]", "[0,1,2]") + "}", 1),
                  "data_offsets must be [begin, end], got 3 numbers");
  expect_rejected(crafted("{" + entry("a", "U8", "[1]", "[2,1]") + "}", 2),
                  "data_offsets [2, 1] end before they begin");
  expect_rejected(crafted("{" + entry("a", "U8", "[1]", "[0,99999999999999999999]") + "}", 1),
                  "must hold non-negative integers, got 99999999999999999999");
}

TEST(SafetensorsMalformed, ShapeDoesNotMatchOffsets) {
  std::string json = "{" + entry("w", "F32", "[2,3]", "[0,20]") + "}";
  expect_rejected(
      crafted(json, 20),
      "tensor \"w\": data_offsets [0, 20] hold 20 bytes but shape [2, 3] of F32 needs 24");
  expect_rejected(crafted(json, 20), "(at byte 57)");
  // 2^32 * 2^32 * 16 elements overflow 64 bits: a mismatch, never an allocation.
  expect_rejected(crafted("{" + entry("w", "U8", "[4294967296,4294967296,16]", "[0,1]") + "}", 1),
                  "needs more than 2^64");
  // A zero dimension makes the tensor empty...
  nn::StateDict d = deserialize_safetensors(
      crafted("{" + entry("w", "F64", "[4294967296,0,4294967]", "[0,0]") + "}", 0));
  EXPECT_EQ(d["w"].numel(), 0);
  EXPECT_EQ(shape_str(d["w"].sizes()), "[4294967296, 0, 4294967]");
  // ...but not one whose other sizes overflow (PyTorch cannot make it either).
  expect_rejected(
      crafted("{" + entry("w", "F64", "[4294967296,4294967296,0]", "[0,0]") + "}", 0),
      "tensor \"w\": shape [4294967296, 4294967296, 0] of F64 is too large for a tensor");
}

TEST(SafetensorsMalformed, OffsetsOutOfBounds) {
  expect_rejected(
      crafted("{" + entry("a", "F32", "[2]", "[8,16]") + "}", 12),
      "tensor \"a\": data_offsets [8, 16] are out of bounds: the data section holds 12 bytes");
}

TEST(SafetensorsMalformed, OverlappingTensors) {
  std::string json =
      "{" + entry("a", "F32", "[2]", "[0,8]") + "," + entry("b", "F32", "[2]", "[4,12]") + "}";
  auto bytes = crafted(json, 12);
  uint64_t data_start = 8 + json.size();
  expect_rejected(bytes, "tensor \"b\" (bytes 4..12) overlaps tensor \"a\" (bytes 0..8) (at byte " +
                             std::to_string(data_start + 4) + ")");
  // The same tensor listed twice under two names is an overlap too.
  std::string twice =
      "{" + entry("a", "F32", "[2]", "[0,8]") + "," + entry("b", "F32", "[2]", "[0,8]") + "}";
  expect_rejected(crafted(twice, 8), "overlaps tensor");
}

TEST(SafetensorsMalformed, GapsAndTrailingBytes) {
  std::string gap =
      "{" + entry("a", "U8", "[2]", "[0,2]") + "," + entry("b", "U8", "[2]", "[4,6]") + "}";
  expect_rejected(crafted(gap, 6), "data bytes 2..4 belong to no tensor (gap before tensor \"b\")");
  std::string tail = "{" + entry("a", "U8", "[2]", "[0,2]") + "}";
  expect_rejected(crafted(tail, 5), "data section holds 5 bytes but the tensors cover only 2");
  expect_rejected(crafted("{}", 1), "data section holds 1 bytes but the tensors cover only 0");
  std::string late = "{" + entry("a", "U8", "[2]", "[1,3]") + "}";
  expect_rejected(crafted(late, 3), "data bytes 0..1 belong to no tensor");
}

TEST(SafetensorsMalformed, BadMetadata) {
  expect_rejected(crafted(R"({"__metadata__":{"k":1}})"),
                  "__metadata__[\"k\"] must be a string, got a number (at byte 29)");
  expect_rejected(crafted(R"({"__metadata__":{"k":null}})"), "must be a string, got null");
  expect_rejected(crafted(R"({"__metadata__":{"k":{"x":"y"}}})"),
                  "must be a string, got an object");
  expect_rejected(crafted(R"({"__metadata__":["a"]})"),
                  "__metadata__ must be an object, got an array");
}

TEST(SafetensorsMalformed, BoolBytesMustBeZeroOrOne) {
  std::string json = "{" + entry("m", "BOOL", "[3]", "[0,3]") + "}";
  auto bytes = crafted(json, 3, 1);
  bytes.back() = 2;
  expect_rejected(bytes, "tensor \"m\": BOOL byte has value 2 (expected 0 or 1) (at byte " +
                             std::to_string(bytes.size() - 1) + ")");
}

TEST(SafetensorsMalformed, FileErrorsNameTheFile) {
  testing::TempDir dir;
  std::string path = dir.file("bad.safetensors");
  testing::write_bytes(path, {1, 2, 3});
  expect_error([&] { load_file(path); },
               "load_file('" + path + "'): file is 3 bytes, shorter than the 8-byte");
  expect_error([&] { load_metadata(path); }, "load_metadata('" + path + "'): file is 3 bytes");
  expect_error([&] { load_file(dir.file("missing.safetensors")); },
               "load_file('" + dir.file("missing.safetensors") +
                   "'): cannot open: No such file or directory");
  expect_error([&] { load_file(dir.path().string()); }, "is a directory");
  testing::write_bytes(path, crafted("{" + entry("w", "F32", "[2,3]", "[0,24]") + "}", 20));
  expect_error([&] { load_file(path); },
               "load_file('" + path + "'): tensor \"w\": data_offsets [0, 24] are out of bounds");
}

// Every prefix of a valid file must be rejected (truncation), and no single-byte change may crash
// or read out of bounds; those the loader accepts must still hold the right number of bytes.
TEST(SafetensorsMalformed, TruncationAndByteFlipSweeps) {
  nn::StateDict d;
  d.insert("w", tensor({{1.f, 2.f}, {3.f, 4.f}}));
  d.insert("m", tensor({true, false}));
  d.insert("n", scalar_tensor(5, {.dtype = kInt64}));
  std::vector<uint8_t> good = serialize_safetensors(d, {{"k", "v"}});
  for (size_t len = 0; len < good.size(); ++len) {
    std::vector<uint8_t> cut(good.begin(), good.begin() + static_cast<int64_t>(len));
    EXPECT_THROW(deserialize_safetensors(cut), Error) << "prefix of " << len << " bytes";
  }
  for (size_t i = 0; i < good.size(); ++i) {
    for (uint8_t flip : {uint8_t{0x01}, uint8_t{0x80}, uint8_t{0xff}}) {
      std::vector<uint8_t> bad = good;
      bad[i] ^= flip;
      try {
        nn::StateDict got = deserialize_safetensors(bad);
        int64_t total = 0;
        for (const auto& [k, t] : got) total += static_cast<int64_t>(t.nbytes());
        EXPECT_LE(total, static_cast<int64_t>(good.size()));
      } catch (const Error&) {
      }
    }
  }
}

}  // namespace
}  // namespace wick
