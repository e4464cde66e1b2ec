// SPDX-License-Identifier: Apache-2.0
// A small fixed pool of worker threads that splits one loop into static contiguous chunks.
// Owned by one Model; ParallelFor is called from one thread at a time (Run is not re-entrant).
// A model runs ~150 short loops per Run(), so waiting threads spin briefly (~0.2 ms) before
// sleeping on a condition variable: a futex wake-up per loop would cost more than the loop.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace monokin::infer::detail {

class ThreadPool {
 public:
  // `threads` workers in total, the calling thread included; 1 = run everything inline.
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return static_cast<int>(workers_.size()) + 1; }

  // Calls fn(begin, end) on disjoint chunks covering [0, n), in parallel; returns when all are
  // done. Chunks are at least `min_chunk` long so tiny loops stay on one thread.
  void ParallelFor(int n, int min_chunk, const std::function<void(int, int)>& fn);

 private:
  void WorkerLoop(int index);

  std::vector<std::thread> workers_;
  std::mutex mu_;
  std::condition_variable start_cv_, done_cv_;
  const std::function<void(int, int)>* job_ = nullptr;
  int job_n_ = 0, job_chunks_ = 0;
  std::atomic<int> generation_{0}, pending_{0};
  std::atomic<bool> stop_{false};
};

}  // namespace monokin::infer::detail
