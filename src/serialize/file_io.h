// File access for safetensors (internal): a bounds-checked reader over a file descriptor and the
// atomic writer (temporary file in the same directory, fsync, rename). POSIX only; no memory
// mapping.
#pragma once

#include <string>

#include "format.h"

namespace wick::serialize_detail {

// Opens `path` for reading; throws FormatError (no offset) when it cannot.
class FileSource : public ByteSource {
 public:
  explicit FileSource(const std::string& path);
  ~FileSource() override;
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;
  uint64_t size() const override { return size_; }
  void read(uint64_t offset, void* dst, size_t n) override;

 private:
  int fd_ = -1;
  uint64_t size_ = 0;
};

// Writes `enc` to `path` atomically; throws wick::Error starting with `where` (which names the
// path).
void write_atomically(const std::string& path, const Encoded& enc, const std::string& where);

}  // namespace wick::serialize_detail
