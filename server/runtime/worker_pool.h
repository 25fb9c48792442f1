// A set of threads that run analyses, fed by a bounded queue. The bound is
// what turns overload into RESOURCE_EXHAUSTED instead of unbounded memory
// growth.
//
// A task may carry its call's deadline. A worker still busy with a task
// `stuck_after` past its deadline (an in-process plugin that hangs and does
// not check for cancellation) is reported in the log with what it is doing
// (ScopedWorkerActivity) and replaced by a new thread, up to
// `max_replacements` at a time, so that one hanging plugin does not starve
// every other request. The stuck thread ends when its task returns.
#ifndef NLPD_SERVER_RUNTIME_WORKER_POOL_H_
#define NLPD_SERVER_RUNTIME_WORKER_POOL_H_

#include <cstddef>
#include <deque>
#include <list>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace nlpd {

struct WorkerPoolOptions {
  // Threads that take tasks (at least 1).
  size_t threads = 1;
  // Tasks that may wait for a thread.
  size_t queue_capacity = 64;
  // How long past its deadline a task runs before its worker counts as
  // stuck.
  absl::Duration stuck_after = absl::Seconds(2);
  // Replacement threads for stuck workers that may exist at once.
  size_t max_replacements = 1;
};

class WorkerPool {
 public:
  explicit WorkerPool(const WorkerPoolOptions& options);
  // Runs every queued task, then joins the threads.
  ~WorkerPool();

  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task` to run on a worker thread; `deadline` is its call's.
  // Returns false, without running or keeping `task`, when the queue is
  // full or the pool is shutting down. Thread-safe.
  bool TrySubmit(absl::AnyInvocable<void() &&> task,
                 absl::Time deadline = absl::InfiniteFuture());

  // Stops accepting tasks, runs those already queued and joins the threads,
  // except stuck ones, which are left running (the process should then
  // exit without destroying what they use). Returns the number of stuck
  // threads left. Idempotent. Must not be called from a worker thread.
  size_t Shutdown();

  // Threads that serve the queue (not counting stuck ones).
  size_t thread_count() const { return options_.threads; }
  size_t queue_capacity() const { return options_.queue_capacity; }
  // Workers currently stuck. Thread-safe.
  size_t stuck_count() const;
  // Tasks waiting for a worker. Thread-safe.
  size_t queue_depth() const;

 private:
  friend class ScopedWorkerActivity;
  struct Worker;

  // The worker of the calling thread; null on other threads.
  static thread_local Worker* current_worker_;

  void StartWorker() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  void RunWorker(Worker* worker);
  void Watch();

  const WorkerPoolOptions options_;
  mutable absl::Mutex mutex_;
  std::deque<std::pair<absl::AnyInvocable<void() &&>, absl::Time>> queue_
      ABSL_GUARDED_BY(mutex_);
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  // Stops the watcher, after the workers have drained.
  bool watch_stop_ ABSL_GUARDED_BY(mutex_) = false;
  // Every thread started, serving or stuck or finished; std::list keeps
  // elements in place.
  std::list<Worker> workers_ ABSL_GUARDED_BY(mutex_);
  // Threads that take tasks: options_.threads plus replacements, minus
  // stuck ones.
  size_t serving_ ABSL_GUARDED_BY(mutex_) = 0;
  size_t stuck_ ABSL_GUARDED_BY(mutex_) = 0;
  std::thread watcher_;
};

// Names what the calling worker thread does ("stance") while it lives, for
// the stuck-worker report. `what` must outlive the object. No-op on threads
// that are not workers. Nests only one level (inner replaces outer).
class ScopedWorkerActivity {
 public:
  explicit ScopedWorkerActivity(absl::string_view what);
  ~ScopedWorkerActivity();
  ScopedWorkerActivity(const ScopedWorkerActivity&) = delete;
  ScopedWorkerActivity& operator=(const ScopedWorkerActivity&) = delete;
};

}  // namespace nlpd

#endif  // NLPD_SERVER_RUNTIME_WORKER_POOL_H_
