// POSIX file access for safetensors: pread-based reads that refuse to run past the size seen at
// open, and writes that go to a temporary file, are fsync'ed, then renamed over the target (the
// directory is fsync'ed too), so readers see the old file or the whole new one, never a torn one.
#include "file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace wick::serialize_detail {
namespace {

std::string errno_text(int err) { return std::strerror(err); }

// Writes all of [p, p + n) to fd; false (errno set) on failure.
bool write_all(int fd, const void* p, size_t n) {
  const char* c = static_cast<const char*>(p);
  while (n > 0) {
    ssize_t w = ::write(fd, c, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    c += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

std::string parent_dir(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  return dir.empty() ? "." : dir;
}

}  // namespace

FileSource::FileSource(const std::string& path) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw FormatError{"cannot open: " + errno_text(errno), std::nullopt};
  struct stat st {};
  std::string problem;
  if (::fstat(fd_, &st) != 0)
    problem = "cannot stat: " + errno_text(errno);
  else if (S_ISDIR(st.st_mode))
    problem = "is a directory";
  else if (!S_ISREG(st.st_mode))
    problem = "is not a regular file";
  if (!problem.empty()) {
    ::close(fd_);
    fd_ = -1;
    throw FormatError{problem, std::nullopt};
  }
  size_ = static_cast<uint64_t>(st.st_size);
}

FileSource::~FileSource() {
  if (fd_ >= 0) ::close(fd_);
}

void FileSource::read(uint64_t offset, void* dst, size_t n) {
  char* p = static_cast<char*>(dst);
  while (n > 0) {
    ssize_t r = ::pread(fd_, p, n, static_cast<off_t>(offset));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) throw FormatError{"read failed: " + errno_text(errno), offset};
    if (r == 0) throw FormatError{"file ended early (it shrank while being read?)", offset};
    p += r;
    n -= static_cast<size_t>(r);
    offset += static_cast<uint64_t>(r);
  }
}

void write_atomically(const std::string& path, const Encoded& enc, const std::string& where) {
  // A unique name per process and call: O_EXCL never clobbers another writer's temporary file.
  static std::atomic<uint64_t> counter{0};
  std::string tmp;
  int fd = -1;
  for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
    tmp = path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST) break;
  }
  if (fd < 0)
    WICK_FAIL(where, ": cannot create a temporary file in '", parent_dir(path),
              "': ", errno_text(errno));

  auto fail = [&](const char* step) {
    int err = errno;
    if (fd >= 0) ::close(fd);
    ::unlink(tmp.c_str());
    WICK_FAIL(where, ": ", step, " failed: ", errno_text(err));
  };
  if (!write_all(fd, enc.header.data(), enc.header.size())) fail("write");
  for (const Tensor& t : enc.data)
    if (t.nbytes() && !write_all(fd, t.data_ptr(), t.nbytes())) fail("write");
  if (::fsync(fd) != 0) fail("fsync");
  int rc = ::close(fd);
  fd = -1;
  if (rc != 0) fail("close");
  if (::rename(tmp.c_str(), path.c_str()) != 0) fail("rename");
  // Make the rename itself durable; a directory that cannot be opened or synced is not an error.
  int dfd = ::open(parent_dir(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    (void)::fsync(dfd);
    ::close(dfd);
  }
}

}  // namespace wick::serialize_detail
