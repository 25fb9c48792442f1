// What the transport knows about one call: its deadline and whether the
// caller has gone. The pipeline checks it between steps, and plugins reach it
// through nlpd_host_api.is_cancelled while they run.
#ifndef NLPD_SERVER_RUNTIME_CALL_CONTEXT_H_
#define NLPD_SERVER_RUNTIME_CALL_CONTEXT_H_

#include <functional>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace nlpd {

struct CallContext {
  absl::Time deadline = absl::InfiniteFuture();
  // Returns true once the caller has gone away; may be empty. Must be
  // thread-safe: plugins poll it from worker threads.
  std::function<bool()> is_cancelled;

  // True when the call's result is no longer wanted: cancelled or past its
  // deadline. Thread-safe.
  bool Over() const {
    return (is_cancelled && is_cancelled()) ||
           (deadline != absl::InfiniteFuture() && absl::Now() > deadline);
  }
};

}  // namespace nlpd

#endif  // NLPD_SERVER_RUNTIME_CALL_CONTEXT_H_
