#include "runtime/worker_pool.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/log.h"

namespace nlpd {

struct WorkerPool::Worker {
  WorkerPool* pool = nullptr;
  std::thread thread;
  // The task being run: its deadline and start, and what it is doing.
  bool busy = false;
  absl::Time deadline = absl::InfiniteFuture();
  absl::Time started;
  // What the worker does (ScopedWorkerActivity). A mutex of its own: the
  // worker sets it around every plugin call, and the pool's mutex_ is what
  // every submit and every worker contends for. Lock order: mutex_ first.
  absl::Mutex activity_mutex;
  absl::string_view activity ABSL_GUARDED_BY(activity_mutex);
  // Reported stuck and replaced; ends when its task returns.
  bool stuck = false;
  bool finished = false;
};

thread_local WorkerPool::Worker* WorkerPool::current_worker_ = nullptr;

WorkerPool::WorkerPool(const WorkerPoolOptions& options)
    : options_{std::max<size_t>(options.threads, 1), options.queue_capacity,
               options.stuck_after, options.max_replacements} {
  {
    absl::MutexLock lock(&mutex_);
    for (size_t i = 0; i < options_.threads; ++i) StartWorker();
  }
  watcher_ = std::thread([this] { Watch(); });
}

WorkerPool::~WorkerPool() { Shutdown(); }

void WorkerPool::StartWorker() {
  Worker& worker = workers_.emplace_back();
  worker.pool = this;
  ++serving_;
  worker.thread = std::thread([this, &worker] { RunWorker(&worker); });
}

bool WorkerPool::TrySubmit(absl::AnyInvocable<void() &&> task,
                           absl::Time deadline) {
  absl::MutexLock lock(&mutex_);
  if (stopping_ || queue_.size() >= options_.queue_capacity) return false;
  queue_.emplace_back(std::move(task), deadline);
  return true;
}

size_t WorkerPool::stuck_count() const {
  absl::MutexLock lock(&mutex_);
  return stuck_;
}

size_t WorkerPool::queue_depth() const {
  absl::MutexLock lock(&mutex_);
  return queue_.size();
}

size_t WorkerPool::Shutdown() {
  {
    absl::MutexLock lock(&mutex_);
    if (stopping_) return stuck_;
    stopping_ = true;
  }
  // Wait until the queue is drained and every worker not stuck is done; the
  // watcher keeps marking hung workers stuck meanwhile.
  absl::MutexLock lock(&mutex_);
  auto drained = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    for (const Worker& worker : workers_) {
      if (!worker.finished && !worker.stuck) return false;
    }
    return true;
  };
  mutex_.Await(absl::Condition(&drained));
  for (Worker& worker : workers_) {
    if (!worker.thread.joinable()) continue;
    if (worker.finished) {
      worker.thread.join();
    } else {
      worker.thread.detach();  // stuck; see the header
    }
  }
  watch_stop_ = true;
  mutex_.Unlock();
  if (watcher_.joinable()) watcher_.join();
  mutex_.Lock();
  if (stuck_ > 0) {
    Log(LogLevel::kWarning,
        absl::StrCat(stuck_, " worker(s) still stuck in a plugin at shutdown"));
  }
  return stuck_;
}

void WorkerPool::RunWorker(Worker* worker) {
  current_worker_ = worker;
  // One critical section per task: the end of the last one and the start of
  // the next.
  mutex_.Lock();
  while (true) {
    mutex_.Await(absl::Condition(
        +[](WorkerPool* pool) ABSL_EXCLUSIVE_LOCKS_REQUIRED(pool->mutex_) {
          return pool->stopping_ || !pool->queue_.empty();
        },
        this));
    if (queue_.empty()) {  // stopping and drained
      worker->finished = true;
      --serving_;
      mutex_.Unlock();
      return;
    }
    std::pair<absl::AnyInvocable<void() &&>, absl::Time> task =
        std::move(queue_.front());
    queue_.pop_front();
    worker->busy = true;
    worker->deadline = task.second;
    worker->started = absl::Now();
    mutex_.Unlock();
    std::move(task.first)();
    task.first = nullptr;  // the task's captures go before the lock is taken
    mutex_.Lock();
    worker->busy = false;
    if (worker->stuck) {
      // Replaced while it hung: end this thread.
      --stuck_;
      worker->finished = true;
      Log(LogLevel::kInfo,
          absl::StrCat("a stuck worker returned after ",
                       absl::FormatDuration(absl::Trunc(
                           absl::Now() - worker->started, absl::Seconds(1)))));
      mutex_.Unlock();
      return;
    }
  }
}

void WorkerPool::Watch() {
  const absl::Duration interval =
      std::clamp(options_.stuck_after / 4, absl::Milliseconds(10),
                 absl::Milliseconds(250));
  absl::MutexLock lock(&mutex_);
  while (!mutex_.AwaitWithTimeout(
      absl::Condition(
          +[](bool* stop) { return *stop; }, &watch_stop_),
      interval)) {
    const absl::Time now = absl::Now();
    // Join threads of replaced workers that have ended.
    for (auto it = workers_.begin(); it != workers_.end();) {
      if (it->finished && it->stuck && it->thread.joinable()) {
        it->thread.join();
        it = workers_.erase(it);
      } else {
        ++it;
      }
    }
    for (Worker& worker : workers_) {
      if (!worker.busy || worker.stuck ||
          worker.deadline == absl::InfiniteFuture() ||
          now < worker.deadline + options_.stuck_after) {
        continue;
      }
      std::string activity;
      {
        absl::MutexLock activity_lock(&worker.activity_mutex);
        activity = std::string(worker.activity);
      }
      const std::string what = activity.empty()
                                   ? std::string("the server")
                                   : absl::StrCat("plugin '", activity, "'");
      const bool replace = stuck_ < options_.max_replacements;
      worker.stuck = true;
      ++stuck_;
      --serving_;
      Log(LogLevel::kWarning,
          absl::StrCat("a worker is stuck in ", what, ": busy for ",
                       absl::FormatDuration(absl::Trunc(
                           now - worker.started, absl::Milliseconds(100))),
                       ", ",
                       absl::FormatDuration(absl::Trunc(
                           now - worker.deadline, absl::Milliseconds(100))),
                       " past its call's deadline; ",
                       replace
                           ? "starting a replacement worker"
                           : "no replacement left (max_replacements reached)",
                       ". Run the plugin isolated (--isolate=", activity,
                       ") to have a hung call killed"));
      if (replace) StartWorker();
    }
  }
}

ScopedWorkerActivity::ScopedWorkerActivity(absl::string_view what) {
  WorkerPool::Worker* worker = WorkerPool::current_worker_;
  if (worker == nullptr) return;
  absl::MutexLock lock(&worker->activity_mutex);
  worker->activity = what;
}

ScopedWorkerActivity::~ScopedWorkerActivity() {
  WorkerPool::Worker* worker = WorkerPool::current_worker_;
  if (worker == nullptr) return;
  absl::MutexLock lock(&worker->activity_mutex);
  worker->activity = {};
}

}  // namespace nlpd
