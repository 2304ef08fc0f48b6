// A fixed pool of workers that run chunks of one parallel_for at a time and block otherwise.
#include "thread_pool.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "wick/core/error.h"
#include "wick/core/parallel.h"

namespace wick::cpu {

namespace {

thread_local bool t_in_parallel = false;

class Pool {
 public:
  static Pool& get() {
    static Pool* p = new Pool;  // leaked: workers must not be joined during static destruction
    return *p;
  }

  int num_threads() const { return num_threads_.load(); }
  void set_num_threads(int n) {
    std::lock_guard<std::mutex> run(run_mu_);
    num_threads_.store(n);
    ensure_workers(n - 1);
  }

  void run(int64_t n, int64_t chunks, const std::function<void(int64_t, int64_t)>& fn) {
    std::lock_guard<std::mutex> run(run_mu_);  // one parallel_for at a time across user threads
    ensure_workers(static_cast<int>(chunks) - 1);
    std::exception_ptr error;
    std::mutex err_mu;
    std::function<void(int64_t)> body = [&](int64_t c) {
      int64_t b = n * c / chunks, e = n * (c + 1) / chunks;
      try {
        fn(b, e);
      } catch (...) {
        std::lock_guard<std::mutex> lk(err_mu);
        if (!error) error = std::current_exception();
      }
    };
    {
      std::lock_guard<std::mutex> lk(mu_);
      job_ = &body;
      job_chunks_ = chunks;
      next_chunk_ = 1;
      pending_ = chunks - 1;
      ++generation_;
    }
    cv_.notify_all();
    t_in_parallel = true;
    body(0);
    // Help with chunks no worker has taken yet.
    for (;;) {
      int64_t c;
      {
        std::lock_guard<std::mutex> lk(mu_);
        if (next_chunk_ >= job_chunks_) break;
        c = next_chunk_++;
      }
      body(c);
      std::lock_guard<std::mutex> lk(mu_);
      if (--pending_ == 0) done_cv_.notify_all();
    }
    t_in_parallel = false;
    {
      std::unique_lock<std::mutex> lk(mu_);
      done_cv_.wait(lk, [&] { return pending_ == 0; });
      job_ = nullptr;
    }
    if (error) std::rethrow_exception(error);
  }

 private:
  Pool() {
    unsigned hw = std::max(1u, std::thread::hardware_concurrency());
    num_threads_.store(static_cast<int>(hw));
  }

  void ensure_workers(int n) {
    while (static_cast<int>(workers_.size()) < n) workers_.emplace_back([this] { worker_loop(); });
  }

  void worker_loop() {
    t_in_parallel = true;
    uint64_t seen = 0;
    for (;;) {
      std::unique_lock<std::mutex> lk(mu_);
      cv_.wait(lk, [&] { return generation_ != seen && job_ != nullptr && next_chunk_ < job_chunks_; });
      seen = generation_;
      while (job_ != nullptr && next_chunk_ < job_chunks_) {
        int64_t c = next_chunk_++;
        auto* job = job_;
        lk.unlock();
        (*job)(c);
        lk.lock();
        if (--pending_ == 0) done_cv_.notify_all();
      }
    }
  }

  std::atomic<int> num_threads_{1};
  std::mutex run_mu_;
  std::mutex mu_;
  std::condition_variable cv_, done_cv_;
  std::vector<std::thread> workers_;
  const std::function<void(int64_t)>* job_ = nullptr;
  int64_t job_chunks_ = 0, next_chunk_ = 0, pending_ = 0;
  uint64_t generation_ = 0;
};

}  // namespace

bool in_parallel_region() { return t_in_parallel; }

void parallel_for(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& fn) {
  if (n <= 0) return;
  int threads = Pool::get().num_threads();
  int64_t chunks = std::min<int64_t>(threads, (n + std::max<int64_t>(grain, 1) - 1) / std::max<int64_t>(grain, 1));
  if (chunks <= 1 || t_in_parallel) {
    fn(0, n);
    return;
  }
  Pool::get().run(n, chunks, fn);
}

}  // namespace wick::cpu

namespace wick {

void set_num_threads(int n) {
  WICK_CHECK(n > 0, "set_num_threads: expected a positive number of threads, got ", n);
  cpu::Pool::get().set_num_threads(n);
}

int get_num_threads() { return cpu::Pool::get().num_threads(); }

}  // namespace wick
