// SPDX-License-Identifier: Apache-2.0
#include "monokin/infer/detail/thread_pool.h"

#include <algorithm>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace monokin::infer::detail {
namespace {
// Spin iterations before sleeping: a pause instruction each, and every 64th a yield, so that on
// a busy machine the thread being waited for gets the core.
constexpr int kSpins = 2048;

inline void Pause(int i) {
  if (i % 64 == 63) {
    std::this_thread::yield();
    return;
  }
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#endif
}

// Chunk `c` of `chunks` over [0, n).
int ChunkBegin(int n, int chunks, int c) {
  return static_cast<int>(static_cast<long long>(n) * c / chunks);
}
}  // namespace

ThreadPool::ThreadPool(int threads) {
  for (int i = 1; i < threads; ++i) workers_.emplace_back([this, i] { WorkerLoop(i); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  start_cv_.notify_all();
  for (std::thread& t : workers_) t.join();
}

void ThreadPool::ParallelFor(int n, int min_chunk, const std::function<void(int, int)>& fn) {
  if (n <= 0) return;
  const int chunks = std::min(size(), std::max(1, n / std::max(1, min_chunk)));
  if (chunks <= 1) {
    fn(0, n);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    job_ = &fn;
    job_n_ = n;
    job_chunks_ = chunks;
    pending_.store(chunks - 1, std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
  }
  start_cv_.notify_all();
  fn(ChunkBegin(n, chunks, 0), ChunkBegin(n, chunks, 1));
  for (int i = 0; i < kSpins && pending_.load(std::memory_order_acquire) != 0; ++i) Pause(i);
  if (pending_.load(std::memory_order_acquire) != 0) {
    std::unique_lock<std::mutex> lock(mu_);
    done_cv_.wait(lock, [this] { return pending_.load(std::memory_order_acquire) == 0; });
  }
  job_ = nullptr;
}

void ThreadPool::WorkerLoop(int index) {
  int seen = 0;
  while (true) {
    for (int i = 0; i < kSpins && generation_.load(std::memory_order_acquire) == seen &&
                    !stop_.load(std::memory_order_relaxed);
         ++i) {
      Pause(i);
    }
    const std::function<void(int, int)>* job;
    int n, chunks;
    {
      std::unique_lock<std::mutex> lock(mu_);
      start_cv_.wait(lock, [&] { return stop_ || generation_.load() != seen; });
      if (stop_) return;
      seen = generation_.load();
      job = job_;
      n = job_n_;
      chunks = job_chunks_;
    }
    if (index < chunks) {
      (*job)(ChunkBegin(n, chunks, index), ChunkBegin(n, chunks, index + 1));
      if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        std::lock_guard<std::mutex> lock(mu_);
        done_cv_.notify_one();
      }
    }
  }
}

}  // namespace monokin::infer::detail
