#include "runtime/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>

#include "absl/synchronization/notification.h"

namespace nlpd {
namespace {

TEST(WorkerPoolTest, RunsEveryAcceptedTaskBeforeShutdownReturns) {
  std::atomic<int> done{0};
  WorkerPool pool({.threads = 2, .queue_capacity = 1000});
  for (int i = 0; i < 500; ++i) {
    ASSERT_TRUE(pool.TrySubmit([&done] { ++done; }));
  }
  pool.Shutdown();
  EXPECT_EQ(done.load(), 500);
  EXPECT_FALSE(pool.TrySubmit([] {}));
}

TEST(WorkerPoolTest, RefusesTasksBeyondTheQueueBound) {
  absl::Notification release;
  absl::Notification started;
  WorkerPool pool({.threads = 1, .queue_capacity = 2});
  ASSERT_TRUE(pool.TrySubmit([&] {
    started.Notify();
    release.WaitForNotification();
  }));
  started.WaitForNotification();  // the worker is busy; the queue is empty
  EXPECT_TRUE(pool.TrySubmit([] {}));
  EXPECT_TRUE(pool.TrySubmit([] {}));
  EXPECT_FALSE(pool.TrySubmit([] {}));
  release.Notify();
}

}  // namespace
}  // namespace nlpd
