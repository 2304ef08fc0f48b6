// save_checkpoint/load_checkpoint: a Checkpoint flattened into one safetensors file (sections as
// key prefixes, scalars as decimal strings in __metadata__). It does not know what the optimizer or
// scheduler state means; it round-trips whatever flat state dicts they hand over.
#include "wick/serialize/checkpoint.h"

#include <charconv>

namespace wick {
namespace {

constexpr const char* kFormatKey = "format";
constexpr const char* kFormat = "wick.checkpoint.v1";
constexpr const char* kEpochKey = "epoch";
constexpr const char* kSeedKey = "rng.seed";
constexpr const char* kOffsetKey = "rng.offset";

struct Section {
  const char* prefix;
  nn::StateDict Checkpoint::*dict;
};
constexpr Section kSections[] = {{"model.", &Checkpoint::model},
                                 {"optimizer.", &Checkpoint::optimizer},
                                 {"scheduler.", &Checkpoint::scheduler}};

bool is_reserved(const std::string& key) {
  return key == kFormatKey || key == kEpochKey || key == kSeedKey || key == kOffsetKey;
}

template <typename T>
T parse_number(const Metadata& meta, const char* key, const std::string& where) {
  auto it = meta.find(key);
  WICK_CHECK(it != meta.end(), where, ": __metadata__ has no \"", key, "\"");
  const std::string& s = it->second;
  T value{};
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  WICK_CHECK(ec == std::errc() && end == s.data() + s.size() && !s.empty(), where,
             ": __metadata__[\"", key, "\"] must be an integer, got \"", s, "\"");
  return value;
}

}  // namespace

void save_checkpoint(const std::string& path, const Checkpoint& checkpoint) {
  Metadata meta = checkpoint.metadata;
  for (const auto& [key, value] : meta)
    WICK_CHECK(!is_reserved(key), "save_checkpoint('", path, "'): metadata key \"", key,
               "\" is reserved for the checkpoint itself");
  meta[kFormatKey] = kFormat;
  meta[kEpochKey] = std::to_string(checkpoint.epoch);
  if (checkpoint.rng) {
    meta[kSeedKey] = std::to_string(checkpoint.rng->seed);
    meta[kOffsetKey] = std::to_string(checkpoint.rng->offset);
  }
  nn::StateDict flat;
  for (const Section& s : kSections)
    for (const auto& [key, t] : checkpoint.*s.dict) flat.insert(s.prefix + key, t);
  save_file(flat, path, meta);
}

Checkpoint load_checkpoint(const std::string& path) {
  std::string where = "load_checkpoint('" + path + "')";
  Metadata meta = load_metadata(path);
  auto format = meta.find(kFormatKey);
  WICK_CHECK(format != meta.end() && format->second == kFormat, where,
             ": not a Wick checkpoint (expected __metadata__", " \"format\": \"", kFormat,
             "\", got ", format == meta.end() ? "none" : "\"" + format->second + "\"", ")");
  Checkpoint ck;
  ck.epoch = parse_number<int64_t>(meta, kEpochKey, where);
  bool has_seed = meta.count(kSeedKey) != 0, has_offset = meta.count(kOffsetKey) != 0;
  WICK_CHECK(has_seed == has_offset, where,
             ": __metadata__ has only one of \"rng.seed\" and \"rng.offset\"");
  if (has_seed)
    ck.rng = GeneratorState{parse_number<uint64_t>(meta, kSeedKey, where),
                            parse_number<uint64_t>(meta, kOffsetKey, where)};
  for (const auto& [key, value] : meta)
    if (!is_reserved(key)) ck.metadata[key] = value;

  for (const auto& [key, t] : load_file(path)) {
    const Section* section = nullptr;
    for (const Section& s : kSections)
      if (key.rfind(s.prefix, 0) == 0) section = &s;
    WICK_CHECK(section, where, ": tensor \"", key,
               "\" is in no section (expected a \"model.\", \"optimizer.\"",
               " or \"scheduler.\" prefix)");
    (ck.*section->dict).insert(key.substr(std::char_traits<char>::length(section->prefix)), t);
  }
  return ck;
}

}  // namespace wick
