#include "plugin_host/host_analyze.h"

#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "runtime/call_context.h"

namespace nlpd {

void HostAnalyze(const Plugin& plugin, const v1::HostAnalyzeRequest& request,
                 std::function<bool()> is_cancelled,
                 v1::HostAnalyzeResponse* response) {
  CallContext call;
  if (request.deadline_unix_micros() != 0) {
    call.deadline = absl::FromUnixMicros(request.deadline_unix_micros());
  }
  call.is_cancelled = std::move(is_cancelled);
  absl::StatusOr<std::string> result = plugin.Analyze(
      {request.request(), request.text(), &request.language(), &call});
  if (result.ok()) {
    response->set_result(*std::move(result));
  } else {
    response->mutable_error()->set_code(
        static_cast<int>(result.status().code()));
    response->mutable_error()->set_message(
        std::string(result.status().message()));
  }
}

absl::StatusOr<std::string> FromHostAnalyzeResponse(
    v1::HostAnalyzeResponse response) {
  if (response.has_error()) {
    const int code = response.error().code();
    return absl::Status(
        code > 0 && code <= static_cast<int>(absl::StatusCode::kUnauthenticated)
            ? static_cast<absl::StatusCode>(code)
            : absl::StatusCode::kInternal,
        response.error().message());
  }
  return std::move(*response.mutable_result());
}

}  // namespace nlpd
