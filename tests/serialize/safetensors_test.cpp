// save_file/load_file and the in-memory forms: round trips of every dtype, views and odd shapes,
// the exact header layout, metadata, atomic writes and errors on the writing side.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <string>

#include "serialize/test_util.h"
#include "support/expect_error.h"
#include "wick/wick.h"

namespace wick {
namespace {

using testing::expect_error;
using testing::TempDir;

// Same dtype, shape and bits (tensor equality would call -0.0 == 0.0 equal, bytes do not).
void expect_identical(const Tensor& a, const Tensor& b, const std::string& key) {
  ASSERT_EQ(a.dtype(), b.dtype()) << key;
  ASSERT_EQ(a.sizes().vec(), b.sizes().vec()) << key;
  Tensor ca = a.contiguous(), cb = b.contiguous();
  ASSERT_EQ(ca.nbytes(), cb.nbytes()) << key;
  if (ca.nbytes()) {
    EXPECT_EQ(std::memcmp(ca.data_ptr(), cb.data_ptr(), ca.nbytes()), 0) << key;
  }
}

void expect_same_dict(const nn::StateDict& got, const nn::StateDict& want) {
  ASSERT_EQ(got.keys(), want.keys());
  for (const auto& [k, t] : want) expect_identical(got[k], t, k);
}

nn::StateDict every_dtype() {
  nn::StateDict d;
  d.insert("f64", tensor({{1.5, -2.25, 1e300}, {0.0, -0.0, 3.0}}, {.dtype = kFloat64}));
  d.insert("f32", tensor({1.f, -7.5f, 1e-30f}));
  d.insert("f16", tensor({0.5, -2.0, 65504.0}, {.dtype = kFloat16}));
  d.insert("bf16", tensor({1.0, -3.140625}, {.dtype = kBFloat16}));
  d.insert("i64", tensor({int64_t{-(int64_t{1} << 62)}, int64_t{7}}));
  d.insert("i32", tensor({-5, 2147483647}, {.dtype = kInt32}));
  d.insert("u8", tensor({0, 255, 17}, {.dtype = kUInt8}));
  d.insert("bool", tensor({true, false, true}));
  d.insert("scalar", scalar_tensor(2.5));
  d.insert("empty", zeros({0, 4}));
  return d;
}

TEST(Safetensors, RoundTripsEveryDtypeThroughAFile) {
  TempDir dir;
  nn::StateDict d = every_dtype();
  save_file(d, dir.file("all.safetensors"));
  expect_same_dict(load_file(dir.file("all.safetensors")), d);
  EXPECT_TRUE(load_metadata(dir.file("all.safetensors")).empty());
}

TEST(Safetensors, RoundTripsInMemoryAndMatchesTheFileBytes) {
  TempDir dir;
  nn::StateDict d = every_dtype();
  Metadata meta{{"format", "pt"}, {"epoch", "3"}};
  std::vector<uint8_t> bytes = serialize_safetensors(d, meta);
  expect_same_dict(deserialize_safetensors(bytes), d);
  EXPECT_EQ(deserialize_safetensors_metadata(bytes), meta);
  save(d, dir.file("m.safetensors"), meta);  // DESIGN.md's alias
  EXPECT_EQ(testing::read_bytes(dir.file("m.safetensors")), bytes);
  expect_same_dict(load(dir.file("m.safetensors")), d);
}

TEST(Safetensors, WritesTheExactHeaderLayout) {
  nn::StateDict d;
  d.insert("w", tensor({{1.f, 2.f, 3.f}, {4.f, 5.f, 6.f}}));
  d.insert("n", scalar_tensor(3, {.dtype = kInt64}));
  std::vector<uint8_t> b = serialize_safetensors(d, {{"k", "v\n\"x\""}});
  std::string json =
      R"({"__metadata__":{"k":"v\n\"x\""},"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},)"
      R"("n":{"dtype":"I64","shape":[],"data_offsets":[24,32]}})";
  json.append((8 - json.size() % 8) % 8, ' ');
  ASSERT_EQ(b.size(), 8 + json.size() + 32);
  uint64_t n = 0;
  for (int k = 7; k >= 0; --k) n = (n << 8) | b[static_cast<size_t>(k)];
  EXPECT_EQ(n, json.size());
  EXPECT_EQ(n % 8, 0u);
  EXPECT_EQ(std::string(b.begin() + 8, b.begin() + 8 + static_cast<int64_t>(n)), json);
  float first;
  std::memcpy(&first, b.data() + 8 + n, 4);
  EXPECT_EQ(first, 1.f);
  EXPECT_EQ(b.back(), 0);  // 3 as int64 little-endian ends in zero bytes
  EXPECT_EQ(b[b.size() - 8], 3);
}

TEST(Safetensors, CopiesViewsAndNonContiguousTensors) {
  Tensor base = arange(24, {.dtype = kFloat32}).reshape({2, 3, 4});
  nn::StateDict d;
  d.insert("t", base.transpose(0, 2));                                 // non-contiguous
  d.insert("slice", base.select(1, 1));                                // a view with an offset
  d.insert("expand", tensor({1.f, 2.f}).unsqueeze(0).expand({3, 2}));  // stride 0
  Tensor w = randn({3, 3}, {.requires_grad = true});
  d.insert("grad", w * 2);  // has a grad_fn
  nn::StateDict back = deserialize_safetensors(serialize_safetensors(d));
  for (const auto& [k, t] : d) {
    EXPECT_TRUE(back[k].is_contiguous()) << k;
    EXPECT_FALSE(back[k].requires_grad()) << k;
    EXPECT_TRUE(back[k].equal(t.detach().contiguous())) << k;
  }
  EXPECT_EQ(back["t"].sizes().vec(), (std::vector<int64_t>{4, 3, 2}));
}

TEST(Safetensors, SavesAndLoadsAModuleStateDict) {
  TempDir dir;
  manual_seed(0);
  auto net = nn::Sequential(nn::Linear(4, 3), nn::ReLU(), nn::Linear(3, 2));
  save(net->state_dict(), dir.file("net.safetensors"));
  auto other = nn::Sequential(nn::Linear(4, 3), nn::ReLU(), nn::Linear(3, 2));
  other->load_state_dict(load(dir.file("net.safetensors")));
  Tensor x = randn({5, 4});
  EXPECT_TRUE(other->forward(x).equal(net->forward(x)));
  EXPECT_EQ(load_file(dir.file("net.safetensors")).keys(),
            (std::vector<std::string>{"0.weight", "0.bias", "2.weight", "2.bias"}));
}

TEST(Safetensors, OverwritesAtomicallyAndLeavesNoTemporaryFiles) {
  TempDir dir;
  std::string path = dir.file("w.safetensors");
  nn::StateDict a, b;
  a.insert("x", ones({1000}));
  b.insert("y", zeros({2}));
  save_file(a, path);
  save_file(b, path);
  EXPECT_EQ(load_file(path).keys(), std::vector<std::string>{"y"});
  int entries = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++entries;
  EXPECT_EQ(entries, 1);  // no "w.safetensors.tmp.*" left behind
}

TEST(Safetensors, FailedWriteKeepsTheOldFile) {
  TempDir dir;
  std::string path = dir.file("keep.safetensors");
  nn::StateDict good, bad;
  good.insert("x", ones({3}));
  save_file(good, path);
  bad.insert("ok", ones({2}));
  bad.insert("undefined", Tensor());
  expect_error([&] { save_file(bad, path); },
               "save_file('" + path + "'): tensor \"undefined\" is undefined");
  expect_same_dict(load_file(path), good);
}

TEST(Safetensors, UnwritablePathThrowsNamingIt) {
  TempDir dir;
  nn::StateDict d;
  d.insert("x", ones({2}));
  std::string path = dir.file("no/such/dir/m.safetensors");
  expect_error([&] { save_file(d, path); }, "save_file('" + path +
                                                "'): cannot create a temporary file in '" +
                                                dir.file("no/such/dir") + "'");
  expect_error([&] { save_file(d, path); }, "No such file or directory");
  // A directory in the way of the rename.
  std::filesystem::create_directory(dir.file("taken"));
  expect_error([&] { save_file(d, dir.file("taken")); }, "rename failed");
}

TEST(Safetensors, RejectsBadNamesOnSave) {
  nn::StateDict d;
  d.insert("__metadata__", ones({1}));
  expect_error([&] { serialize_safetensors(d); }, "\"__metadata__\" is reserved");
  nn::StateDict e;
  e.insert("bad\xff", ones({1}));
  expect_error([&] { serialize_safetensors(e); }, "is not valid UTF-8");
  expect_error([&] { serialize_safetensors({}, {{"k", "\xc0\x80"}}); }, "not valid UTF-8");
}

TEST(Safetensors, EmptyStateDict) {
  std::vector<uint8_t> b = serialize_safetensors({});
  EXPECT_EQ(b.size(), 16u);  // "{}" padded to 8
  EXPECT_TRUE(deserialize_safetensors(b).empty());
}

TEST(Safetensors, MetadataWithEscapesAndUnicodeRoundTrips) {
  Metadata meta{{"note", "tab\t \"q\" \\ \x01 \xc3\xbc \xf0\x9f\x98\x80"}, {"", "empty key"}};
  EXPECT_EQ(deserialize_safetensors_metadata(serialize_safetensors({}, meta)), meta);
}

TEST(Safetensors, AcceptsHeaderEntriesInAnyOrder) {
  // JSON objects are unordered: the reference writer lists keys sorted, data by dtype. Both valid.
  std::string json = R"({"b":{"dtype":"U8","shape":[2],"data_offsets":[2,4]},)"
                     R"("a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}})";
  std::vector<uint8_t> bytes = testing::crafted(json);
  for (uint8_t v : {1, 2, 3, 4}) bytes.push_back(v);
  nn::StateDict d = deserialize_safetensors(bytes);
  EXPECT_EQ(d.keys(), (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(d["a"].tolist<int64_t>(), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(d["b"].tolist<int64_t>(), (std::vector<int64_t>{3, 4}));
}

}  // namespace
}  // namespace wick
