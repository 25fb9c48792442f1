// A fixed set of threads that run analyses, fed by a bounded queue. The
// bound is what turns overload into RESOURCE_EXHAUSTED instead of unbounded
// memory growth.
#ifndef NLPD_SERVER_RUNTIME_WORKER_POOL_H_
#define NLPD_SERVER_RUNTIME_WORKER_POOL_H_

#include <cstddef>
#include <deque>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"

namespace nlpd {

class WorkerPool {
 public:
  // Starts `threads` threads (at least 1). At most `queue_capacity` tasks
  // wait for a thread at any time.
  WorkerPool(size_t threads, size_t queue_capacity);
  // Runs every queued task, then joins the threads.
  ~WorkerPool();

  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task` to run on a worker thread. Returns false, without running
  // or keeping `task`, when the queue is full or the pool is shutting down.
  // Thread-safe.
  bool TrySubmit(absl::AnyInvocable<void() &&> task);

  // Stops accepting tasks, runs those already queued and joins the threads.
  // Idempotent. Must not be called from a worker thread.
  void Shutdown();

  size_t thread_count() const { return threads_.size(); }
  size_t queue_capacity() const { return queue_capacity_; }

 private:
  void RunWorker();

  const size_t queue_capacity_;
  absl::Mutex mutex_;
  std::deque<absl::AnyInvocable<void() &&>> queue_ ABSL_GUARDED_BY(mutex_);
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace nlpd

#endif  // NLPD_SERVER_RUNTIME_WORKER_POOL_H_
