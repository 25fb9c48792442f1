#include "service/call_log.h"

#include <utility>

#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "common/log.h"

namespace nlpd {
namespace {

constexpr size_t kMaxRequestIdBytes = 128;

// The caller's x-request-id if it is short printable ASCII, else a new one.
std::string RequestIdOf(const grpc::CallbackServerContext& context) {
  const auto& metadata = context.client_metadata();
  if (auto found = metadata.find("x-request-id"); found != metadata.end()) {
    std::string id(found->second.data(), found->second.size());
    bool printable = !id.empty() && id.size() <= kMaxRequestIdBytes;
    for (char c : id) printable = printable && c > ' ' && c < 127;
    if (printable) return id;
  }
  thread_local absl::BitGen random;
  return absl::StrFormat("%016x", absl::Uniform<uint64_t>(random));
}

}  // namespace

CallLog::CallLog(grpc::CallbackServerContext* context, std::string method,
                 Metrics* metrics)
    : method_(std::move(method)),
      metrics_(metrics),
      start_(absl::Now()),
      request_id_(RequestIdOf(*context)) {
  context->AddInitialMetadata("x-request-id", request_id_);
  if (metrics_ != nullptr) metrics_->CallStarted();
}

void CallLog::Finish(const absl::Status& status, size_t bytes_in,
                     size_t bytes_out, const std::string& analyses) {
  const absl::Duration latency = absl::Now() - start_;
  if (metrics_ != nullptr) {
    metrics_->RecordRequest(method_, status.code(), latency);
    metrics_->CallFinished();
  }
  LogWithFields(
      LogLevel::kInfo, "request",
      {{"id", request_id_},
       {"method", method_},
       {"analyses", analyses.empty() ? "-" : analyses},
       {"bytes_in", absl::StrCat(bytes_in)},
       {"bytes_out", absl::StrCat(bytes_out)},
       {"status", absl::StatusCodeToString(status.code())},
       {"ms", absl::StrFormat("%.2f", absl::ToDoubleMilliseconds(latency))}});
}

}  // namespace nlpd
