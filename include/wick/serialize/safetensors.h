// Reading and writing the safetensors format (https://github.com/huggingface/safetensors): an
// 8-byte little-endian header length, a JSON header, then each tensor's raw little-endian bytes.
// Files written here load in PyTorch (tools/safetensors_io.py) and vice versa; see
// docs/serialization.md. Deliberately not here: memory mapping, lazy loading, or dtypes Wick has no
// tensor type for.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "wick/nn/module.h"

namespace wick {

// safetensors' __metadata__: a flat string -> string map (written sorted by key).
using Metadata = std::map<std::string, std::string>;

// Writes `tensors` in their order (the header lists them in that order too) to `path` through a
// temporary file in the same directory that is fsync'ed and renamed into place, so a crash never
// leaves a truncated file. Tensors on other devices, views and non-contiguous tensors are copied
// to contiguous CPU memory first; autograd state is not saved. Throws wick::Error naming the path.
void save_file(const nn::StateDict& tensors, const std::string& path,
               const Metadata& metadata = {});
// Reads every tensor (CPU, contiguous, requires_grad=false) in header order. The whole file is
// validated first; a malformed one throws wick::Error naming the file, the problem and the byte
// offset.
nn::StateDict load_file(const std::string& path);
// The header's __metadata__ (empty when absent), reading only the header.
Metadata load_metadata(const std::string& path);

// Same as save_file/load_file (DESIGN.md: `save(model->state_dict(), "mlp.safetensors")`).
inline void save(const nn::StateDict& tensors, const std::string& path,
                 const Metadata& metadata = {}) {
  save_file(tensors, path, metadata);
}
inline nn::StateDict load(const std::string& path) { return load_file(path); }

// In-memory forms, as safetensors.torch.save / load: the whole file as bytes.
std::vector<uint8_t> serialize_safetensors(const nn::StateDict& tensors,
                                           const Metadata& metadata = {});
nn::StateDict deserialize_safetensors(const std::vector<uint8_t>& bytes);
Metadata deserialize_safetensors_metadata(const std::vector<uint8_t>& bytes);

}  // namespace wick
