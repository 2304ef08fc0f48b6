// ProgressBar: one self-overwriting line on a terminal (epoch, batch i/N, running loss and
// accuracy, images/s, ETA); on a pipe or file it prints a plain line at each quarter instead, so
// logs stay readable. Not thread-safe: the training loop owns it.
#pragma once

#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace wick_train {

inline std::string format_duration(double seconds) {
  auto s = static_cast<int64_t>(seconds + 0.5);
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof(buf), "%lld:%02lld:%02lld", static_cast<long long>(s / 3600),
                  static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
  else
    std::snprintf(buf, sizeof(buf), "%lld:%02lld", static_cast<long long>(s / 60), static_cast<long long>(s % 60));
  return buf;
}

class ProgressBar {
 public:
  ProgressBar(int64_t epoch, int64_t epochs, int64_t batches)
      : epoch_(epoch), epochs_(epochs), batches_(batches), tty_(isatty(fileno(stderr)) != 0),
        start_(std::chrono::steady_clock::now()) {}

  // After batch `done` (1-based) with running means so far and images seen so far.
  void update(int64_t done, double loss, double acc, int64_t images) {
    const double elapsed = seconds();
    const double rate = elapsed > 0 ? images / elapsed : 0.0;
    const double eta = done > 0 ? elapsed * (batches_ - done) / done : 0.0;
    if (tty_) {
      if (done != batches_ && elapsed - last_draw_ < 0.1) return;  // ~10 redraws a second
      last_draw_ = elapsed;
      constexpr int kWidth = 24;
      const int filled = batches_ > 0 ? static_cast<int>(kWidth * done / batches_) : kWidth;
      std::string bar(static_cast<size_t>(filled), '=');
      if (filled < kWidth) bar += '>';
      bar.resize(kWidth, ' ');
      std::fprintf(stderr, "\repoch %lld/%lld [%s] %lld/%lld loss %.4f acc %.4f %.0f img/s ETA %s   ",
                   static_cast<long long>(epoch_), static_cast<long long>(epochs_), bar.c_str(),
                   static_cast<long long>(done), static_cast<long long>(batches_), loss, acc, rate,
                   format_duration(eta).c_str());
    } else {
      const int64_t quarter = (batches_ + 3) / 4;
      if (quarter == 0 || (done % quarter != 0 && done != batches_)) return;
      std::fprintf(stderr, "epoch %lld/%lld batch %lld/%lld loss %.4f acc %.4f %.0f img/s ETA %s\n",
                   static_cast<long long>(epoch_), static_cast<long long>(epochs_), static_cast<long long>(done),
                   static_cast<long long>(batches_), loss, acc, rate, format_duration(eta).c_str());
    }
    std::fflush(stderr);
  }

  // Clears the bar so the epoch summary starts on a clean line.
  void finish() {
    if (tty_) std::fprintf(stderr, "\r%*s\r", 110, "");
    std::fflush(stderr);
  }

  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  int64_t epoch_, epochs_, batches_;
  bool tty_;
  std::chrono::steady_clock::time_point start_;
  double last_draw_ = -1.0;
};

}  // namespace wick_train
