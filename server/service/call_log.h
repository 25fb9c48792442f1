// The record of one call at the gRPC edge: its request id (taken from the
// caller's x-request-id metadata or made up, and sent back in the response
// metadata), its log line and its metrics.
#ifndef NLPD_SERVER_SERVICE_CALL_LOG_H_
#define NLPD_SERVER_SERVICE_CALL_LOG_H_

#include <grpcpp/server_context.h>

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "runtime/metrics.h"

namespace nlpd {

class CallLog {
 public:
  // Starts the record of a call of `method` on `context` (sets the
  // x-request-id response metadata: call before the call is finished).
  // `metrics` may be null.
  CallLog(grpc::CallbackServerContext* context, std::string method,
          Metrics* metrics);

  const std::string& request_id() const { return request_id_; }

  // Logs the call's line at info level and records it in the metrics. Call
  // once, when the call ends. `analyses` names what was asked for (empty
  // for calls that name none). Thread-safe with respect to other CallLogs.
  void Finish(const absl::Status& status, size_t bytes_in, size_t bytes_out,
              const std::string& analyses);

 private:
  const std::string method_;
  Metrics* const metrics_;
  const absl::Time start_;
  std::string request_id_;
};

}  // namespace nlpd

#endif  // NLPD_SERVER_SERVICE_CALL_LOG_H_
