// Training checkpoints as one safetensors file: named state dicts (model, optimizer, scheduler),
// the epoch and the generator state, so an interrupted run resumes where it stopped.
// Deliberately generic: it stores whatever flat nn::StateDict each part hands over, nothing more.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "wick/core/generator.h"
#include "wick/serialize/safetensors.h"

namespace wick {

// A generator's position: its seed and how many Philox counters it has used.
struct GeneratorState {
  uint64_t seed = 0;
  uint64_t offset = 0;
  static GeneratorState of(const Generator& g) { return {g.seed(), g.offset()}; }
  void restore(Generator& g) const { g.set_state(seed, offset); }
  friend bool operator==(const GeneratorState&, const GeneratorState&) = default;
};

// Layout in the file: tensors under "model.", "optimizer." and "scheduler." prefixes; epoch and
// RNG state as decimal strings in __metadata__ ("format": "wick.checkpoint.v1", "epoch",
// "rng.seed", "rng.offset"), next to the caller's own `metadata`.
// Every field has an initializer so designated initializers may omit any (-Wextra).
struct Checkpoint {
  nn::StateDict model{};
  nn::StateDict optimizer{};
  nn::StateDict scheduler{};
  int64_t epoch = 0;
  std::optional<GeneratorState> rng = std::nullopt;  // e.g. GeneratorState::of(default_generator())
  Metadata metadata{};                               // extra string pairs (keys above are reserved)
};

// Written atomically as save_file is.
void save_checkpoint(const std::string& path, const Checkpoint& checkpoint);
// Throws naming the file when it is not a Wick checkpoint or a key has no known section prefix.
Checkpoint load_checkpoint(const std::string& path);

}  // namespace wick
