// Interop with PyTorch through committed files (tools/gen_safetensors_goldens.py): files written
// from PyTorch state dicts load with PyTorch's values; Wick writes the same bytes as the
// PyTorch-side writer for a fixed state dict; and the Export test writes files for the Python check
// that shows PyTorch reads what Wick wrote (see docs/serialization.md).
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "serialize/test_util.h"
#include "support/golden.h"
#include "wick/wick.h"

namespace wick {
namespace {

std::string golden_file(const std::string& name) {
  return std::string(WICK_GOLDEN_DIR) + "/safetensors/" + name + ".safetensors";
}

// Every tensor equals the value PyTorch printed into <name>.txt, exactly (float64 holds them all).
void expect_matches_golden(const std::string& name, const nn::StateDict& d) {
  testing::Golden g("safetensors/" + name);
  for (const auto& [k, t] : d) {
    ASSERT_TRUE(g.has(k)) << name << ": " << k;
    Tensor want = g[k];
    EXPECT_EQ(t.sizes().vec(), want.sizes().vec()) << k;
    EXPECT_TRUE(t.to(want.dtype()).equal(want)) << name << ": " << k;
  }
}

// The fixed state dict of tools/gen_safetensors_goldens.py's fixed(), built from the same values.
nn::StateDict fixed_state_dict() {
  nn::StateDict d;
  d.insert("weight", tensor({{-0.5f, -0.25f, 0.f}, {0.25f, 0.5f, 0.75f}}));
  d.insert("bias", tensor({0.25, -1.5}, {.dtype = kFloat64}));
  d.insert("half", tensor({0.0, 0.5, 1.0, 1.5, 2.0}, {.dtype = kFloat16}));
  d.insert("bf", tensor({-1.0, 0.0, 1.0}, {.dtype = kBFloat16}));
  d.insert("count", scalar_tensor(7, {.dtype = kInt64}));
  d.insert("idx", tensor({{0, 1}, {2, 3}}, {.dtype = kInt32}));
  d.insert("mask", tensor({true, false, true}));
  d.insert("bytes", tensor({0, 60, 120, 180}, {.dtype = kUInt8}));
  d.insert("empty", zeros({0, 3}));
  return d;
}

const Metadata kFixedMetadata{
    {"format", "pt"},
    {"note", "tab\there \"quoted\" back\\slash \xc3\xbc\xe2\x82\xac\xf0\x9f\x98\x80 \x01"}};

TEST(SafetensorsInterop, LoadsATorchLinearStateDict) {
  nn::StateDict d = load_file(golden_file("torch_linear"));
  EXPECT_EQ(d.keys(), (std::vector<std::string>{"weight", "bias"}));
  EXPECT_EQ(d["weight"].dtype(), kFloat32);
  expect_matches_golden("torch_linear", d);
  auto lin = nn::Linear(4, 3);
  lin->load_state_dict(d);
  EXPECT_TRUE(lin->weight.equal(d["weight"]));
}

TEST(SafetensorsInterop, LoadsATorchSequentialWithBatchNormBuffers) {
  nn::StateDict d = load_file(golden_file("torch_sequential"));
  EXPECT_EQ(d.keys(), (std::vector<std::string>{"0.weight", "0.bias", "2.weight", "2.bias",
                                                "2.running_mean", "2.running_var",
                                                "2.num_batches_tracked", "3.weight", "3.bias"}));
  EXPECT_EQ(d["2.num_batches_tracked"].dtype(), kInt64);
  EXPECT_EQ(d["2.num_batches_tracked"].dim(), 0);
  EXPECT_EQ(d["2.num_batches_tracked"].item<int64_t>(), 1);
  expect_matches_golden("torch_sequential", d);
}

TEST(SafetensorsInterop, LoadsEveryDtypeAndMetadataWrittenFromTorch) {
  nn::StateDict d = load_file(golden_file("torch_dtypes"));
  std::vector<std::pair<std::string, DType>> want{
      {"f64", kFloat64},    {"f32", kFloat32},   {"f16", kFloat16},       {"bf16", kBFloat16},
      {"i64", kInt64},      {"i32", kInt32},     {"u8", kUInt8},          {"bool", kBool},
      {"scalar", kFloat32}, {"empty", kFloat32}, {"transposed", kFloat32}};
  ASSERT_EQ(d.size(), want.size());
  for (const auto& [k, dt] : want) EXPECT_EQ(d[k].dtype(), dt) << k;
  expect_matches_golden("torch_dtypes", d);
  EXPECT_EQ(load_metadata(golden_file("torch_dtypes")), kFixedMetadata);
}

TEST(SafetensorsInterop, WritesTheSameBytesAsThePyTorchSideWriter) {
  std::vector<uint8_t> want = testing::read_bytes(golden_file("fixed"));
  EXPECT_EQ(serialize_safetensors(fixed_state_dict(), kFixedMetadata), want);
  expect_matches_golden("fixed", load_file(golden_file("fixed")));
}

TEST(SafetensorsInterop, ResavingTorchFilesReproducesTheirBytes) {
  for (const char* name : {"torch_linear", "torch_sequential", "torch_dtypes"}) {
    std::string path = golden_file(name);
    EXPECT_EQ(serialize_safetensors(load_file(path), load_metadata(path)),
              testing::read_bytes(path))
        << name;
  }
}

// Writes the files tools/gen_safetensors_goldens.py --check reads: into
// $WICK_SAFETENSORS_EXPORT_DIR when set (the directory must exist), else into a temporary
// directory, and reads them back.
TEST(SafetensorsInterop, ExportForPyTorch) {
  testing::TempDir tmp;
  const char* env = std::getenv("WICK_SAFETENSORS_EXPORT_DIR");
  std::string dir = env ? env : tmp.path().string();
  save_file(fixed_state_dict(), dir + "/fixed.safetensors", kFixedMetadata);
  for (const char* name : {"torch_linear", "torch_sequential", "torch_dtypes"})
    save_file(load_file(golden_file(name)), dir + "/resaved_" + name + ".safetensors");

  manual_seed(0);
  auto mlp = nn::Sequential(nn::Linear(5, 7), nn::ReLU(), nn::Linear(7, 3));
  Tensor x = randn({4, 5});
  Tensor y = mlp->forward(x);
  save_file(mlp->state_dict(), dir + "/wick_mlp.safetensors");
  nn::StateDict io;
  io.insert("x", x);
  io.insert("y", y);
  save_file(io, dir + "/wick_mlp_io.safetensors");

  EXPECT_EQ(testing::read_bytes(dir + "/fixed.safetensors"),
            testing::read_bytes(golden_file("fixed")));
  auto again = nn::Sequential(nn::Linear(5, 7), nn::ReLU(), nn::Linear(7, 3));
  again->load_state_dict(load_file(dir + "/wick_mlp.safetensors"));
  EXPECT_TRUE(again->forward(x).equal(y));
}

}  // namespace
}  // namespace wick
