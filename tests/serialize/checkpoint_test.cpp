// save_checkpoint/load_checkpoint: sections, epoch, generator state and extra metadata round-trip
// through one safetensors file whose layout is the documented one; bad checkpoints are refused.
#include <gtest/gtest.h>

#include <string>

#include "serialize/test_util.h"
#include "support/expect_error.h"
#include "wick/wick.h"

namespace wick {
namespace {

using testing::expect_error;

TEST(Checkpoint, RoundTripsSectionsEpochAndRng) {
  testing::TempDir dir;
  manual_seed(3);
  auto model = nn::Sequential(nn::Linear(3, 4), nn::ReLU(), nn::Linear(4, 2));
  randn({10});  // move the generator off its start
  Checkpoint ck;
  ck.model = model->state_dict();
  ck.optimizer.insert("state.0.momentum_buffer", ones({4, 3}));
  ck.optimizer.insert("param_groups.0.lr", scalar_tensor(0.1, {.dtype = kFloat64}));
  ck.scheduler.insert("last_epoch", scalar_tensor(4, {.dtype = kInt64}));
  ck.epoch = 4;
  ck.rng = GeneratorState::of(default_generator());
  ck.metadata = {{"run", "fashion-mnist"}};
  save_checkpoint(dir.file("ck.safetensors"), ck);

  Tensor expected_next = randn({5});
  manual_seed(99);  // lose the position, then restore it from the checkpoint
  Checkpoint back = load_checkpoint(dir.file("ck.safetensors"));
  ASSERT_TRUE(back.rng.has_value());
  EXPECT_EQ(*back.rng, *ck.rng);
  back.rng->restore(default_generator());
  EXPECT_TRUE(randn({5}).equal(expected_next));

  EXPECT_EQ(back.epoch, 4);
  EXPECT_EQ(back.metadata, (Metadata{{"run", "fashion-mnist"}}));
  EXPECT_EQ(back.model.keys(), ck.model.keys());
  EXPECT_EQ(back.optimizer.keys(), ck.optimizer.keys());
  EXPECT_EQ(back.scheduler.keys(), ck.scheduler.keys());
  for (const auto& [k, t] : ck.model) EXPECT_TRUE(back.model[k].equal(t)) << k;
  EXPECT_DOUBLE_EQ(back.optimizer["param_groups.0.lr"].item<double>(), 0.1);
  auto restored = nn::Sequential(nn::Linear(3, 4), nn::ReLU(), nn::Linear(4, 2));
  restored->load_state_dict(back.model);
}

TEST(Checkpoint, FileLayoutIsThePlainSafetensorsOne) {
  testing::TempDir dir;
  Checkpoint ck;
  ck.model.insert("w", ones({2}));
  ck.scheduler.insert("last_epoch", scalar_tensor(1, {.dtype = kInt64}));
  ck.epoch = 12;
  ck.rng = GeneratorState{18446744073709551615ull, 7};
  save_checkpoint(dir.file("c.safetensors"), ck);
  EXPECT_EQ(load_file(dir.file("c.safetensors")).keys(),
            (std::vector<std::string>{"model.w", "scheduler.last_epoch"}));
  EXPECT_EQ(load_metadata(dir.file("c.safetensors")),
            (Metadata{{"epoch", "12"},
                      {"format", "wick.checkpoint.v1"},
                      {"rng.offset", "7"},
                      {"rng.seed", "18446744073709551615"}}));
  Checkpoint back = load_checkpoint(dir.file("c.safetensors"));
  EXPECT_EQ(back.rng->seed, 18446744073709551615ull);
  EXPECT_TRUE(back.optimizer.empty());
}

TEST(Checkpoint, WithoutRngStateLoadsWithoutIt) {
  testing::TempDir dir;
  auto lin = nn::Linear(2, 2);
  save_checkpoint(dir.file("c.safetensors"), Checkpoint{.model = lin->state_dict(), .epoch = -1});
  Checkpoint back = load_checkpoint(dir.file("c.safetensors"));
  EXPECT_FALSE(back.rng.has_value());
  EXPECT_EQ(back.epoch, -1);
}

TEST(Checkpoint, Errors) {
  testing::TempDir dir;
  std::string plain = dir.file("plain.safetensors");
  nn::StateDict d;
  d.insert("w", ones({1}));
  save_file(d, plain);
  expect_error([&] { load_checkpoint(plain); },
               "load_checkpoint('" + plain +
                   "'): not a Wick checkpoint (expected __metadata__ \"format\": "
                   "\"wick.checkpoint.v1\", got none)");
  save_file(d, plain, {{"format", "wick.checkpoint.v1"}, {"epoch", "3"}});
  expect_error([&] { load_checkpoint(plain); }, "tensor \"w\" is in no section");
  save_file({}, plain, {{"format", "wick.checkpoint.v1"}, {"epoch", "3x"}});
  expect_error([&] { load_checkpoint(plain); },
               "__metadata__[\"epoch\"] must be an integer, got \"3x\"");
  save_file({}, plain, {{"format", "wick.checkpoint.v1"}});
  expect_error([&] { load_checkpoint(plain); }, "__metadata__ has no \"epoch\"");
  save_file({}, plain, {{"format", "wick.checkpoint.v1"}, {"epoch", "1"}, {"rng.seed", "1"}});
  expect_error([&] { load_checkpoint(plain); }, "only one of \"rng.seed\" and \"rng.offset\"");
  Checkpoint ck;
  ck.metadata = {{"epoch", "5"}};
  expect_error([&] { save_checkpoint(dir.file("x.safetensors"), ck); },
               "metadata key \"epoch\" is reserved");
  expect_error([&] { load_checkpoint(dir.file("missing.safetensors")); }, "cannot open");
}

}  // namespace
}  // namespace wick
